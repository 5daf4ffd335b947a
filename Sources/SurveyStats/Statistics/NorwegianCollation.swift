import Foundation

/// The order in which text categories are shown and levelled everywhere (crosstab rows and columns, `--by`
/// groups, codebook listings, the levels of a text variable in a regression): Norwegian alphabetical order.
///
/// Why a type of our own: the users are Norwegian survey analysts, whose labels («Østfold», «Ålesund», «Ærlig»)
/// must come after Z in the order Æ, Ø, Å — code point order gives Å, Æ, Ø and puts every capital before every
/// small letter, and an English-style collation files Å under A and Ø under O. Foundation's locale-aware
/// comparison would make a table's row order depend on the machine the command ran on; this key depends only
/// on the strings. It is deliberately small:
///
/// 1. Primary, compared first, ignoring case and accents: other characters (space, punctuation, symbols, by
///    code point) before numbers before letters; letters A–Z, then Æ, Ø, Å. Ä sorts as Æ and Ö as Ø (Swedish and
///    German spellings in Norwegian lists); other accented letters sort as their base letter (é as e, ü as u);
///    letters of other scripts follow Å by code point. "Aa" is two A's, not Å (Aasen before Abel), so that a
///    label's place does not hinge on how a place name happens to be spelled.
///    A run of digits is one number and compares by its value ("natural order"): 1, 2, 10, x and «Gruppe 2»
///    before «Gruppe 10», because categories such as age bands, classes and group numbers are usually written
///    without padding, and 1, 10, 2 reads as a mistake. Only the digits count: "2.10" follows "2.9" (10 > 9),
///    and "-2" follows "-1" (the minus is punctuation).
/// 2. Then, unit by unit (a character, or a run of digits): leading zeros of equal numbers, fewer first (7, 07,
///    007), and accents (plain before accented, æ before ä, ø before ö).
/// 3. Then case: small letter before capital, character by character («leder» before «Leder»).
/// 4. Finally the code points of the canonical (NFC) form, so that the order is total and deterministic.
///
/// `keyIgnoringCase` stops after step 2, for comparisons in which «å» and «Å» are the same place in the order.
public enum NorwegianCollation {
    /// The sort key of a string; keys compare in Norwegian order.
    public struct Key: Comparable, Hashable, Sendable {
        let primary: [UInt32]
        let secondary: [UInt32]
        let tertiary: [UInt8]
        let scalars: [UInt32]

        public static func < (a: Key, b: Key) -> Bool {
            if a.primary != b.primary { return a.primary.lexicographicallyPrecedes(b.primary) }
            if a.secondary != b.secondary { return a.secondary.lexicographicallyPrecedes(b.secondary) }
            if a.tertiary != b.tertiary { return a.tertiary.lexicographicallyPrecedes(b.tertiary) }
            return a.scalars.lexicographicallyPrecedes(b.scalars)
        }
    }

    // Primary weight bands: each class sorts wholly before the next.
    private static let otherBand: UInt32 = 0
    private static let digitBand: UInt32 = 0x20_0000
    private static let latinBand: UInt32 = 0x30_0000
    private static let otherLetterBand: UInt32 = 0x40_0000
    /// Letter ranks after z (26).
    private static let ae: UInt32 = 27, oSlash: UInt32 = 28, aRing: UInt32 = 29

    public static func key(_ s: String) -> Key {
        var primary: [UInt32] = [], secondary: [UInt32] = [], tertiary: [UInt8] = []
        var digitRun: [UInt32] = []
        // A digit run becomes one unit: its length without leading zeros, then those digits. Equal-length runs
        // compare digit by digit, a shorter run is a smaller number. The length and digit weights share the digit
        // band but never meet at the same position: a run starts a string or follows a non-digit in both keys.
        func endDigitRun() {
            guard !digitRun.isEmpty else { return }
            let significant = digitRun.drop { $0 == 0 }
            let digits = significant.isEmpty ? [0] : Array(significant)
            primary.append(digitBand + UInt32(min(digits.count, 0xF_FFFF)))
            primary.append(contentsOf: digits.map { digitBand + $0 })
            secondary.append(UInt32(digitRun.count - digits.count))
            tertiary.append(0)
            digitRun.removeAll()
        }
        for c in s {
            if c.unicodeScalars.count == 1, let scalar = c.unicodeScalars.first, scalar.properties.numericType == .decimal,
               let digit = scalar.properties.numericValue {
                digitRun.append(UInt32(digit))
                continue
            }
            endDigitRun()
            tertiary.append(c.isUppercase ? 1 : 0)
            let lower = String(c).lowercased()
            // String equality is canonical equivalence: a decomposed "a\u{30A}" is "å" here.
            switch lower {
            case "æ": primary.append(latinBand + ae); secondary.append(0); continue
            case "ä": primary.append(latinBand + ae); secondary.append(1); continue
            case "ø": primary.append(latinBand + oSlash); secondary.append(0); continue
            case "ö": primary.append(latinBand + oSlash); secondary.append(1); continue
            case "å": primary.append(latinBand + aRing); secondary.append(0); continue
            default: break
            }
            let scalars = Array(lower.decomposedStringWithCanonicalMapping.unicodeScalars)
            guard let base = scalars.first else { continue }
            // The first combining mark stands for the accent; a character with several is ordered by step 4.
            secondary.append(scalars.count > 1 ? scalars[1].value : 0)
            if base.value >= 0x61 && base.value <= 0x7A {
                primary.append(latinBand + base.value - 0x60)
            } else if base.properties.numericType == .decimal, let digit = base.properties.numericValue {
                primary.append(digitBand + UInt32(digit))
            } else if base.properties.isAlphabetic {
                primary.append(otherLetterBand + base.value)
            } else {
                primary.append(otherBand + base.value)
            }
        }
        endDigitRun()
        let canonical = s.precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
        return Key(primary: primary, secondary: secondary, tertiary: tertiary, scalars: canonical)
    }

    /// The sort key without the case and code point levels (steps 3 and 4): keys of «å» and «Å» are equal, and
    /// «Åse» still follows both. For ordering comparisons that, like a range of names, should not split on case.
    public static func keyIgnoringCase(_ s: String) -> Key {
        let full = key(s)
        return Key(primary: full.primary, secondary: full.secondary, tertiary: [], scalars: [])
    }

    /// Whether `a` comes before `b` in Norwegian order (for `sorted(by:)`; `sorted(_:)` is faster on many strings).
    public static func areInIncreasingOrder(_ a: String, _ b: String) -> Bool {
        a != b && key(a) < key(b)
    }

    /// The strings in Norwegian order, each key computed once.
    public static func sorted<S: Sequence>(_ strings: S) -> [String] where S.Element == String {
        strings.map { (key: key($0), string: $0) }.sorted { $0.key < $1.key }.map(\.string)
    }
}
