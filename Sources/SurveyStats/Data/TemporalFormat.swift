import Foundation

/// A date, date-time or time display format of SPSS or Stata, which store such values as plain numbers: SPSS as
/// seconds since 1582-10-14 00:00 (times as seconds), Stata `%td` as days and `%tc` as milliseconds since
/// 1960-01-01. Recognised from the variable's `format`, so that a CSV export can write `2019-03-01` instead of
/// `13770720000` and a CSV + codebook import can turn the text back into exactly the stored number.
///
/// Formats that are not points in time (`WKDAY`, `MONTH`, Stata `%tw`/`%tm`/`%tq`/`%th`/`%ty` period counts, and
/// `%tC`, which counts leap seconds) are not recognised and stay numbers. The calendar is the proleptic Gregorian
/// one, as in both packages.
public struct TemporalFormat: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A calendar day: written `YYYY-MM-DD` (or as a date-time when the value is not a whole day).
        case date
        /// A point in time: written `YYYY-MM-DDTHH:MM:SS[.fff]`.
        case dateTime
        /// A time of day or duration (SPSS `TIME`, `DTIME`, `MTIME` in seconds; Stata `%tcHH:MM:SS` in
        /// milliseconds): written `[-]H:MM:SS[.fff]`.
        case time
    }

    public let kind: Kind
    /// Stored units per second: 1 for SPSS seconds, 1000 for Stata `%tc` milliseconds, 1/86400 for Stata `%td`.
    public let unitsPerSecond: Double
    /// Day number (days since 1970-01-01) of the stored zero.
    let epochDay: Int64

    static let secondsPerDay: Int64 = 86_400
    /// 1582-10-14, the zero of SPSS dates (the day before the Gregorian calendar began, by SPSS's convention).
    static let spssEpochDay: Int64 = -141_428
    /// 1960-01-01, the zero of Stata dates.
    static let stataEpochDay: Int64 = -3_653

    /// The temporal format a display format names, or nil when it is not one.
    public init?(format: String?) {
        guard let raw = format?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if raw.hasPrefix("%") {
            let f = raw.dropFirst().drop { $0 == "-" || $0 == "~" }
            if f.hasPrefix("td") || (f.hasPrefix("d") && !f.hasPrefix("dw")) {
                self.init(kind: .date, unitsPerSecond: 1.0 / 86_400, epochDay: Self.stataEpochDay)
            } else if f.hasPrefix("tc") {
                // `%tcHH:MM:SS` shows only the clock: a time of day in milliseconds (what an SPSS TIME becomes in .dta).
                let clockOnly = f.count > 2 && f.dropFirst(2).allSatisfy { "HhMmSs.: ".contains($0) }
                self.init(kind: clockOnly ? .time : .dateTime, unitsPerSecond: 1000, epochDay: Self.stataEpochDay)
            } else {
                return nil
            }
            return
        }
        let name = raw.uppercased().prefix { $0.isLetter }
        switch name {
        case "DATE", "ADATE", "EDATE", "JDATE", "SDATE", "QYR", "MOYR", "WKYR":
            self.init(kind: .date, unitsPerSecond: 1, epochDay: Self.spssEpochDay)
        case "DATETIME", "YMDHMS":
            self.init(kind: .dateTime, unitsPerSecond: 1, epochDay: Self.spssEpochDay)
        case "TIME", "DTIME", "MTIME":
            self.init(kind: .time, unitsPerSecond: 1, epochDay: Self.spssEpochDay)
        default:
            return nil
        }
    }

    init(kind: Kind, unitsPerSecond: Double, epochDay: Int64) {
        self.kind = kind; self.unitsPerSecond = unitsPerSecond; self.epochDay = epochDay
    }

    // MARK: - Number → text

    /// The ISO 8601 text of a stored value; nil when it has none (not finite, outside the years 1–9999, or finer
    /// than the text can hold exactly), in which case the number itself is written.
    public func text(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        switch kind {
        case .time:
            if unitsPerSecond == 1000 {              // Stata milliseconds: whole milliseconds only
                guard value == value.rounded(), abs(value) < 1e15 else { return nil }
                let (sec, ms) = Self.floorDivision(Int64(value), 1000)
                guard var text = Self.clock(seconds: Double(sec), allowNegative: true, hoursUnbounded: true) else { return nil }
                if ms != 0 { text += "." + Self.trimmedMilliseconds(ms) }
                return sec < 0 && ms != 0 ? nil : text   // -0.5 s would need borrowing: written as a number
            }
            return Self.clock(seconds: value, allowNegative: true, hoursUnbounded: true)
        case .date where unitsPerSecond < 1:   // Stata %td: whole days only
            guard value == value.rounded(), abs(value) < 1e8 else { return nil }
            return Self.civilText(day: epochDay + Int64(value))
        case .date, .dateTime:
            if unitsPerSecond == 1000 {          // Stata %tc: whole milliseconds only
                guard value == value.rounded(), abs(value) < 1e15 else { return nil }
                let ms = Int64(value)
                let (sec, rem) = Self.floorDivision(ms, 1000)
                var text = Self.dateTimeText(seconds: sec, epochDay: epochDay, forceTime: true)
                if rem != 0 { text += "." + Self.trimmedMilliseconds(rem) }
                return text.isEmpty ? nil : text
            }
            guard abs(value) < 1e13 else { return nil }   // SPSS seconds: ±300 000 years around 1582
            let whole = value.rounded(.down)
            let digits: String
            if whole == value { digits = "" } else {
                // Fractional seconds before 1582 (negative values) would need floor-vs-truncation care: none
                // exist in practice, so they are written as numbers.
                guard value > 0, let d = Self.fractionDigits(value) else { return nil }
                digits = d
            }
            let seconds = Int64(whole)
            let isWholeDay = digits.isEmpty && seconds % Self.secondsPerDay == 0
            var text = Self.dateTimeText(seconds: seconds, epochDay: epochDay, forceTime: kind == .dateTime || !isWholeDay)
            if text.isEmpty { return nil }
            if !digits.isEmpty { text += "." + digits }
            return text
        }
    }

    // MARK: - Text → number

    /// The stored value of an ISO 8601 text written by `text(_:)` (a date, a date-time with `T` or a space, a
    /// clock time), or of a plain number (what `text(_:)` writes when a value has no text form). Nil when the text
    /// is none of these or names an impossible date.
    public func value(_ text: String) -> Double? {
        let s = text.trimmingCharacters(in: .whitespaces)
        if s.isEmpty { return nil }
        if let plain = Double(s), plain.isFinite { return plain }
        switch kind {
        case .time:
            guard let t = Self.parseClock(Substring(s), hoursUnbounded: true) else { return nil }
            if unitsPerSecond == 1000 {             // Stata milliseconds
                guard t.digits.count <= 3, let ms = Int64(t.digits.padding(toLength: 3, withPad: "0", startingAt: 0)) else { return nil }
                let total = Double(t.seconds * 1000 + ms)
                return t.negative ? -total : total
            }
            return Self.decimal(seconds: t.seconds, digits: t.digits, negative: t.negative)
        case .date, .dateTime:
            let parts = s.split(maxSplits: 1, whereSeparator: { $0 == "T" || $0 == " " })
            guard let day = Self.parseCivil(parts[0]) else { return nil }
            var seconds: Int64 = 0
            var digits: Substring = ""
            if parts.count == 2 {
                guard let t = Self.parseClock(parts[1], hoursUnbounded: false), !t.negative else { return nil }
                seconds = t.seconds; digits = t.digits
            }
            let daysSinceEpoch = day - epochDay
            if unitsPerSecond < 1 {                 // Stata %td: whole days only
                return seconds == 0 && digits.isEmpty ? Double(daysSinceEpoch) : nil
            }
            if unitsPerSecond == 1000 {             // Stata %tc: whole milliseconds
                guard digits.count <= 3, let ms = Int64(digits.padding(toLength: 3, withPad: "0", startingAt: 0)) else { return nil }
                return Double((daysSinceEpoch * Self.secondsPerDay + seconds) * 1000 + ms)
            }
            return Self.decimal(seconds: daysSinceEpoch * Self.secondsPerDay + seconds, digits: digits, negative: false)
        }
    }

    // MARK: - Summaries and filter literals

    /// Whether values are points in time (a date or date-time), which summaries show as dates; a time of day or
    /// duration is not.
    public var isPointInTime: Bool { kind != .time }

    /// Whether a display format names a duration rather than a time of day: SPSS `DTIME` (days and a clock) and
    /// `MTIME` (minutes and seconds). SPSS `TIME` and Stata `%tcHH:MM:SS` may hold either (a time of day, or a
    /// duration written with hours past 24), so the values tell (`FilterExpression`).
    public static func isDurationFormat(_ format: String?) -> Bool {
        guard let raw = format?.trimmingCharacters(in: .whitespaces), !raw.hasPrefix("%") else { return false }
        let name = raw.uppercased().prefix { $0.isLetter }
        return name == "DTIME" || name == "MTIME"
    }

    /// Stored units in one day (86 400 for SPSS seconds, 1 for Stata `%td`, 86 400 000 for `%tc`): a spread of stored
    /// values divided by this is in days, whatever program wrote the file.
    public var unitsPerDay: Double { unitsPerSecond < 1 ? 1 : unitsPerSecond * Double(Self.secondsPerDay) }   // %td: exactly 1

    /// The text of a computed summary (a mean or a median, which need not be a stored value, e.g. half a day for a
    /// Stata `%td` mean), rounded to the whole second. A point in time is ISO 8601: `YYYY-MM-DD` for a date
    /// variable when it falls on midnight, else `YYYY-MM-DDTHH:MM:SS`. A time of day or duration is a clock time
    /// `[-]HH:MM:SS` whose hours run on past 24 (`26:00:00` is one day and two hours; the form `text(_:)` writes and
    /// `value(_:)` and `clockLiteral(_:)` read back). Nil for a value that is not finite or outside the years 1–9999.
    public func summaryText(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        let seconds = (value / unitsPerSecond).rounded()
        guard abs(seconds) < 1e13 else { return nil }
        if kind == .time { return Self.clock(seconds: seconds, allowNegative: true, hoursUnbounded: true) }
        let text = Self.dateTimeText(seconds: Int64(seconds), epochDay: epochDay, forceTime: kind == .dateTime)
        return text.isEmpty ? nil : text
    }

    /// The Excel serial number of a stored value, rounded to the whole second as `summaryText` is: in Excel's 1900
    /// date system, days since 1899-12-30 plus the fraction of the day (Excel counts a 29 February 1900 that never
    /// was, so January and February 1900 are one day lower), and a time of day or duration as a fraction of a day
    /// (hours past 24 run on). Nil where Excel has no date: before 1900-01-01, after 9999-12-31, a negative time.
    public func excelSerial(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let seconds = (value / unitsPerSecond).rounded()
        guard abs(seconds) < 1e13 else { return nil }
        if kind == .time { return seconds >= 0 ? seconds / Double(Self.secondsPerDay) : nil }
        let (days, secondOfDay) = Self.floorDivision(Int64(seconds), Self.secondsPerDay)
        let day = epochDay + days
        guard day >= Self.dayNumber(year: 1900, month: 1, day: 1), day <= Self.dayNumber(year: 9999, month: 12, day: 31) else { return nil }
        let zero = day >= Self.dayNumber(year: 1900, month: 3, day: 1) ? Self.dayNumber(year: 1899, month: 12, day: 30)
            : Self.dayNumber(year: 1899, month: 12, day: 31)
        return Double(day - zero) + Double(secondOfDay) / Double(Self.secondsPerDay)
    }

    /// A spread of stored values (a standard deviation or standard error) as a duration `HH:MM:SS`, rounded to the
    /// whole second; hours run on past 24 as in `summaryText`. Nil when not finite or negative.
    public func durationText(_ spread: Double) -> String? {
        guard spread.isFinite, spread >= 0 else { return nil }
        let seconds = (spread / unitsPerSecond).rounded()
        return Self.clock(seconds: seconds, allowNegative: false, hoursUnbounded: true)
    }

    /// A clock time as written in a `--where` filter: `HH:MM` or `HH:MM:SS[.fff]`, hours from one digit up and past
    /// 24 for a duration (`26:00`), a leading `-` for a negative duration. The number of seconds; nil when the text is
    /// not shaped like that (minutes and seconds must be 00–59).
    public static func clockLiteral(_ text: String) -> Double? {
        var clock = Substring(text.trimmingCharacters(in: .whitespaces))
        // Minutes are the usual precision of a filter (08:00); the seconds are then zero.
        if clock.filter({ $0 == ":" }).count == 1 { clock += ":00" }
        guard let t = parseClock(clock, hoursUnbounded: true) else { return nil }
        return decimal(seconds: t.seconds, digits: t.digits, negative: t.negative)
    }

    /// The stored value of a `clockLiteral` (seconds) for a time variable: SPSS seconds, Stata `%tcHH:MM:SS`
    /// milliseconds.
    public func storedValue(clockSeconds seconds: Double) -> Double { seconds * unitsPerSecond }

    /// A date or date-time as written in a `--where` filter: `YYYY-MM-DD`, or with a clock after `T` or a space,
    /// `HH:MM` or `HH:MM:SS[.fff]`. The day number (days since 1970-01-01) and the seconds into that day; nil when
    /// the text is not shaped like that or names an impossible date or time.
    public static func dateLiteral(_ text: String) -> (day: Int64, seconds: Double)? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(maxSplits: 1, whereSeparator: { $0 == "T" || $0 == " " })
        guard let first = parts.first, let day = parseCivil(first) else { return nil }
        guard parts.count == 2 else { return (day, 0) }
        var clock = parts[1]
        // Minutes are the usual precision of a filter (08:00); the seconds are then zero.
        if clock.filter({ $0 == ":" }).count == 1 { clock += ":00" }
        guard let t = parseClock(clock, hoursUnbounded: false), !t.negative,
              let seconds = decimal(seconds: t.seconds, digits: t.digits, negative: false) else { return nil }
        return (day, seconds)
    }

    /// The stored value of a `dateLiteral` in this variable's own unit and epoch; not rounded to what the variable
    /// can hold, so that a time compared with a Stata `%td` day is that fraction of the day (`dato >= 2020-01-06T12:00`
    /// keeps the days from 2020-01-07).
    public func storedValue(day: Int64, seconds: Double) -> Double {
        // Whole days are added in whole units (1/86 400 is not exact in binary: 2020-01-06 must be exactly day 21 920).
        Double(day - epochDay) * unitsPerDay + (unitsPerSecond < 1 ? seconds / Double(Self.secondsPerDay) : seconds * unitsPerSecond)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian; H. Hinnant's days-from-civil algorithms)

    /// Days since 1970-01-01 of a calendar date.
    static func dayNumber(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number (days since 1970-01-01).
    static func civil(day z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func floorDivision(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// `YYYY-MM-DD`, or "" outside the years 1–9999.
    static func civilText(day: Int64) -> String {
        let c = civil(day: day)
        guard (1...9999).contains(c.year) else { return "" }
        return String(format: "%04d-%02d-%02d", Int(c.year), Int(c.month), Int(c.day))
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` of whole seconds since the epoch day; "" outside the years 1–9999.
    static func dateTimeText(seconds: Int64, epochDay: Int64, forceTime: Bool) -> String {
        let (days, secondOfDay) = floorDivision(seconds, secondsPerDay)
        let date = civilText(day: epochDay + days)
        guard !date.isEmpty else { return "" }
        guard forceTime || secondOfDay != 0 else { return date }
        return date + "T" + String(format: "%02d:%02d:%02d", Int(secondOfDay / 3600), Int(secondOfDay / 60 % 60), Int(secondOfDay % 60))
    }

    /// The digits after the point of the shortest decimal that reads back as `value` (> 0): "25" for 45000.25,
    /// "1" for 45000.1 (not the binary fraction 0.0999…). Writing `12:30:00.1` and reading it with `decimal`
    /// re-parses "45000.1" as one decimal number, so the round trip is exact and the text stays short.
    static func fractionDigits(_ value: Double) -> String? {
        let d = "\(value)"   // Swift's shortest round-trip form: "45000.1", "9.1552734375e-05"
        if let e = d.firstIndex(of: "e") {
            let exponent = Int(d[d.index(after: e)...]) ?? 0
            guard exponent < 0 else { return nil }
            return String(repeating: "0", count: -exponent - 1) + d[..<e].filter { $0 != "." }
        }
        guard let dot = d.firstIndex(of: ".") else { return "" }
        let digits = d[d.index(after: dot)...]
        return digits == "0" ? "" : String(digits)
    }

    /// The number `seconds.digits` (correctly rounded, as `fractionDigits` assumes).
    static func decimal(seconds: Int64, digits: Substring, negative: Bool) -> Double? {
        let magnitude = digits.isEmpty ? Double(seconds) : Double("\(seconds).\(digits)")
        return magnitude.map { negative ? -$0 : $0 }
    }

    static func trimmedMilliseconds(_ ms: Int64) -> String {
        var s = String(format: "%03d", Int(ms))
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// `[-]H:MM:SS[.fff]` of a number of seconds; nil when not representable.
    static func clock(seconds value: Double, allowNegative: Bool, hoursUnbounded: Bool) -> String? {
        guard value.isFinite, abs(value) < 1e12, allowNegative || value >= 0 else { return nil }
        let magnitude = abs(value)
        let whole = magnitude.rounded(.down)
        let s = Int64(whole)
        var text = (value < 0 ? "-" : "") + String(format: "%02d:%02d:%02d", Int(s / 3600), Int(s / 60 % 60), Int(s % 60))
        if whole != magnitude {
            guard let digits = fractionDigits(magnitude) else { return nil }
            text += "." + digits
        }
        return text
    }

    static func parseCivil(_ s: Substring) -> Int64? {
        let f = s.split(separator: "-", omittingEmptySubsequences: false)
        guard f.count == 3, f[0].count == 4, f[1].count == 2, f[2].count == 2,
              let y = Int64(f[0]), let m = Int64(f[1]), let d = Int64(f[2]),
              (1...12).contains(m), d >= 1, d <= daysInMonth(year: y, month: m) else { return nil }
        return dayNumber(year: y, month: m, day: d)
    }

    /// Sign, whole seconds and fraction digits of `[-]H:MM:SS[.fff]`.
    static func parseClock(_ s: Substring, hoursUnbounded: Bool) -> (negative: Bool, seconds: Int64, digits: Substring)? {
        var body = s
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let f = body.split(separator: ":", omittingEmptySubsequences: false)
        guard f.count == 3, !f[0].isEmpty, f[0].count <= 12, f[0].allSatisfy({ $0.isASCII && $0.isNumber }), let h = Int64(f[0]),
              f[1].count == 2, let m = Int64(f[1]), (0..<60).contains(m), f[2].count >= 2 else { return nil }
        let secText = f[2]
        let dot = secText.firstIndex(of: ".")
        let secDigits = secText[..<(dot ?? secText.endIndex)]
        guard secDigits.count == 2, let sec = Int64(secDigits), (0..<60).contains(sec) else { return nil }
        var digits: Substring = ""
        if let dot {
            digits = secText[secText.index(after: dot)...]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        guard hoursUnbounded || h < 24 else { return nil }
        return (negative, h * 3600 + m * 60 + sec, digits)
    }
}
