import Foundation

/// The consistency audit of the report's published numbers (statcheck/GRIM style; no microdata).
///
/// Automatic checks run on every claim that qualifies (GRIM where a published n exists, statcheck on F/df/p/R²,
/// printed p against the significance statement on the same line, the same quantity stated twice, exclusive
/// categories above 100 %); hand-declared relations (`AuditRelation`) cover table arithmetic and cross-references
/// the registry cannot infer.
public struct ConsistencyAudit: Sendable {
    public let registry: ClaimRegistry
    public let relations: [AuditRelation]
    private let byID: [String: PublishedClaim]

    public init(registry: ClaimRegistry, relations: [AuditRelation] = []) {
        self.registry = registry
        self.relations = relations
        var m: [String: PublishedClaim] = [:]
        for c in registry.claims { m[c.id] = c }
        byID = m
    }

    /// Per-claim verdict and the audit's counts.
    public struct Result: Sendable {
        public var findings: [AuditFinding]
        /// claim id → status (inconsistent if any finding on it is; else consistent when the registry can check
        /// it; else not checkable).
        public var claimStatus: [String: FindingStatus]
        /// claim id → ids of findings that touch it.
        public var claimFindings: [String: [String]]
        public var claimCount: Int
        public var consistent: Int { claimStatus.values.filter { $0 == .consistent }.count }
        public var inconsistent: Int { claimStatus.values.filter { $0 == .inconsistent }.count }
        public var notCheckable: Int { claimStatus.values.filter { $0 == .notCheckable }.count }
        public var checkable: Int { consistent + inconsistent }

        /// The one summary line the command ends with.
        public var summaryLine: String {
            "\(claimCount) claims, \(checkable) checkable, \(consistent) consistent, \(inconsistent) inconsistent, \(notCheckable) not checkable"
        }
    }

    public func run() -> Result {
        var findings: [AuditFinding] = []
        findings += grimFindings()
        findings += statcheckFindings()
        findings += pDecisionFindings()
        findings += sameQuantityFindings()
        for r in relations { findings.append(evaluate(r)) }
        var status: [String: FindingStatus] = [:]
        var touch: [String: [String]] = [:]
        for f in findings { for c in f.claims { touch[c, default: []].append(f.id) } }
        let bad = Set(findings.filter { $0.status == .inconsistent }.flatMap(\.claims))
        for c in registry.claims {
            status[c.id] = bad.contains(c.id) ? .inconsistent : (c.checkable ? .consistent : .notCheckable)
        }
        return Result(findings: findings, claimStatus: status, claimFindings: touch, claimCount: registry.claims.count)
    }

    // MARK: - Values of claims

    /// The interval a claim's published number stands for.
    func interval(_ id: String) -> AcceptanceInterval? {
        guard let c = byID[id] else { return nil }
        // A count printed exactly is an integer, not a rounded number: sums of counts must match exactly.
        if [.n, .count].contains(c.statistic), c.qualifier == "exact", let v = c.value, v == v.rounded() {
            return AcceptanceInterval(lo: v, hi: v, loClosed: true, hiClosed: true)
        }
        if let iv = c.rule?.interval { return iv }
        if let v = c.value { return AcceptanceInterval(lo: v, hi: v, loClosed: true, hiClosed: true) }
        return nil
    }

    func interval(_ t: AuditTerm) -> AcceptanceInterval? {
        switch t {
        case .literal(let x): return AcceptanceInterval(lo: x, hi: x, loClosed: true, hiClosed: true)
        case .claim(let id): return interval(id)
        }
    }

    func point(_ t: AuditTerm) -> Double? {
        switch t {
        case .literal(let x): return x
        case .claim(let id):
            // A qualified number («nesten 60», «i overkant av 75») stands for its interval's middle, not its digits.
            if let c = byID[id], let q = c.qualifier, q != "exact", let iv = c.rule?.interval { return (iv.lo + iv.hi) / 2 }
            return byID[id]?.value ?? interval(id).map { ($0.lo + $0.hi) / 2 }
        }
    }

    func label(_ t: AuditTerm) -> String {
        switch t {
        case .literal(let x): return fmt(x)
        case .claim(let id):
            let p = byID[id]?.printed ?? byID[id]?.value.map { fmt($0) } ?? "?"
            return "\(p) [\(id)]"
        }
    }

    func ids(_ ts: [AuditTerm]) -> [String] {
        ts.compactMap { if case .claim(let id) = $0 { return id } else { return nil } }
    }

    // MARK: - Automatic checks

    func grimFindings() -> [AuditFinding] {
        var out: [AuditFinding] = []
        for c in registry.claims {
            guard let n = c.n, [.percent, .validPercent].contains(c.statistic), c.qualifier == "exact",
                  let printed = c.printed, let pn = PrintedNumber(printed), let iv = c.rule?.interval else { continue }
            let ks = GRIM.attainableCounts(in: iv, n: n, percent: true)
            let informative = GRIM.isInformative(halfUnit: pn.halfUnit, n: n, percent: true)
            let arithmetic = ks.isEmpty
                ? "no k in 0…\(n) has 100·k/\(n) ∈ \(iv): nearest \(neighbours(iv, n))"
                : (ks.count > 3
                   ? "k = \(ks.first!)…\(ks.last!) of n = \(n) (100·\(ks.first!)/\(n) = \(fmt(100 * Double(ks.first!) / Double(n), 3)) … 100·\(ks.last!)/\(n) = \(fmt(100 * Double(ks.last!) / Double(n), 3)))"
                   : "k = \(ks.map(String.init).joined(separator: " or ")) of n = \(n): " +
                     ks.map { "100·\($0)/\(n) = \(fmt(100 * Double($0) / Double(n), 3))" }.joined(separator: ", ")) +
                  (informative ? "" : " (uninformative: at n = \(n) every value at this precision is attainable)")
            out.append(AuditFinding(id: "grim-\(c.id)", kind: .grim, status: ks.isEmpty ? .inconsistent : .consistent,
                                    claims: [c.id], summary: "\(printed) % of n = \(n) (\(c.groupLabel))",
                                    arithmetic: arithmetic))
        }
        return out
    }

    private func neighbours(_ iv: AcceptanceInterval, _ n: Int) -> String {
        let k = Int((iv.lo * Double(n) / 100).rounded(.down))
        return [k, k + 1].map { "100·\($0)/\(n) = \(fmt(100 * Double($0) / Double(n), 3))" }.joined(separator: ", ")
    }

    func statcheckFindings() -> [AuditFinding] {
        var out: [AuditFinding] = []
        let byLine = Dictionary(grouping: registry.claims, by: \.line)
        for (line, cs) in byLine.sorted(by: { $0.key < $1.key }) {
            guard let fc = cs.first(where: { $0.statistic == .f }), let f = fc.value else { continue }
            let dfs = cs.filter { $0.statistic == .df }.compactMap { c in c.value.map { (c.id, $0) } }
            guard dfs.count == 2 else { continue }
            let df1 = min(dfs[0].1, dfs[1].1), df2 = max(dfs[0].1, dfs[1].1)
            let dfIDs = dfs.map(\.0)
            if let pc = cs.first(where: { $0.statistic == .p }), let piv = pc.rule?.interval,
               let p = SummaryTestAdapter.fTestPValue(f: f, df1: df1, df2: df2) {
                // statcheck: p recomputed from the printed F is checked against the printed p, allowing for the
                // rounding of F itself (p at both ends of F's rounding interval).
                let fiv = fc.rule?.interval ?? AcceptanceInterval(lo: f, hi: f, hiClosed: true)
                let pLo = SummaryTestAdapter.fTestPValue(f: fiv.hi, df1: df1, df2: df2) ?? p
                let pHi = SummaryTestAdapter.fTestPValue(f: fiv.lo, df1: df1, df2: df2) ?? p
                let ok = piv.overlaps(AcceptanceInterval(lo: pLo, hi: pHi, loClosed: true, hiClosed: true))
                let decisionError = (p < 0.05) != (piv.hi <= 0.05)
                out.append(AuditFinding(
                    id: "statcheck-p-line\(line)", kind: .statcheck, status: ok ? .consistent : .inconsistent,
                    claims: [fc.id, pc.id] + dfIDs,
                    summary: "F(\(fmt(df1)), \(fmt(df2))) = \(fc.printed ?? fmt(f)), \(pc.printed ?? "p")",
                    arithmetic: "P(F(\(fmt(df1)), \(fmt(df2))) ≥ \(fmt(f))) = \(sci(p)) \(ok ? "∈" : "∉") printed \(piv)" +
                        (decisionError ? "; decision error at .05" : "; same decision at .05")))
            }
            if let rc = registry.claims.first(where: { $0.statistic == .rSquared && abs($0.line - line) <= 2 }),
               let riv = rc.rule?.interval, let r2 = SummaryTestAdapter.rSquared(f: f, df1: df1, df2: df2) {
                let ok = riv.contains(r2)
                out.append(AuditFinding(
                    id: "statcheck-r2-line\(line)", kind: .statcheck, status: ok ? .consistent : .inconsistent,
                    claims: [fc.id, rc.id] + dfIDs,
                    summary: "R² implied by F(\(fmt(df1)), \(fmt(df2))) = \(fmt(f)) vs printed \(rc.printed ?? "")",
                    arithmetic: "R² = F·df1/(F·df1 + df2) = \(fmt(f))·\(fmt(df1))/(\(fmt(f))·\(fmt(df1)) + \(fmt(df2))) = \(fmt(r2, 4)) \(ok ? "∈" : "∉") \(riv)"))
            }
        }
        return out
    }

    func pDecisionFindings() -> [AuditFinding] {
        var out: [AuditFinding] = []
        for pc in registry.claims where pc.statistic == .p {
            guard let piv = pc.rule?.interval else { continue }
            let partners = registry.claims.filter {
                ($0.statistic == .significance || $0.statistic == .noSignificance) && $0.line == pc.line
                    && $0.figures == pc.figures && $0.variables == pc.variables && Set($0.groups) == Set(pc.groups)
                    && $0.years == pc.years
            }
            for s in partners {
                guard case .significance(_, let alpha, let sig, _, _, _)? = s.rule else { continue }
                let a = min(alpha, 0.05)
                let certainlySig = piv.hi <= a, certainlyNot = piv.lo >= a
                let status: FindingStatus = sig ? (certainlySig ? .consistent : (certainlyNot ? .inconsistent : .notCheckable))
                    : (certainlyNot ? .consistent : (certainlySig ? .inconsistent : .notCheckable))
                out.append(AuditFinding(
                    id: "pdecision-\(pc.id)-\(s.id)", kind: .pValueDecision, status: status, claims: [pc.id, s.id],
                    summary: "printed \(pc.printed ?? "p") vs «\(sig ? "significant" : "not significant")»",
                    arithmetic: "p ∈ \(piv) \(certainlySig ? "<" : (certainlyNot ? "≥" : "straddles")) α = \(fmt(a))"))
            }
        }
        return out
    }

    /// Key under which two claims state the same quantity.
    private func quantityKey(_ c: PublishedClaim, withCategories: Bool) -> String? {
        guard [.percent, .validPercent, .mean, .responseRate].contains(c.statistic), c.rule?.interval != nil,
              !c.variables.isEmpty, c.years.count == 1, c.groups.count == 1, c.table == nil, c.figures.count == 1,
              c.variables.count == 1 else { return nil }
        if [.percent, .validPercent].contains(c.statistic) && c.categories.isEmpty { return nil }
        let stat = c.statistic == .validPercent ? "percent" : c.statistic.rawValue
        var k = "\(c.figures)|\(c.variables.sorted())|\(c.groups)|\(c.years)|\(stat)"
        if withCategories { k += "|\(c.categories.sorted())" }
        return k
    }

    func sameQuantityFindings() -> [AuditFinding] {
        var out: [AuditFinding] = []
        let groups = Dictionary(grouping: registry.claims.filter { quantityKey($0, withCategories: true) != nil },
                                by: { quantityKey($0, withCategories: true)! })
        for (_, cs) in groups.sorted(by: { $0.key < $1.key }) where cs.count > 1 {
            let ivs = cs.map { ($0, $0.rule!.interval!) }
            var common: AcceptanceInterval? = ivs[0].1
            for (_, iv) in ivs.dropFirst() { common = common.flatMap { $0.intersection(iv) } }
            let status: FindingStatus = common == nil ? .inconsistent : .consistent
            let first = cs[0]
            out.append(AuditFinding(
                id: "same-\(cs.map(\.id).joined(separator: "+"))", kind: .sameQuantity, status: status,
                claims: cs.map(\.id),
                summary: "Figur \(first.figures.map(String.init).joined(separator: ", ")): \(first.variables.joined()) [\(first.categories.joined(separator: ", "))], \(first.groupLabel) \(first.years.map(String.init).joined()), stated \(cs.count)× (lines \(cs.map { String($0.line) }.joined(separator: ", ")))",
                arithmetic: ivs.map { "«\($0.0.printed ?? "")» (line \($0.0.line)) → \($0.1)" }.joined(separator: "; ") +
                    (common.map { "; common ground \($0)" } ?? "; no value satisfies all")))
        }
        return out
    }

    func exclusiveSumFindings() -> [AuditFinding] {
        var out: [AuditFinding] = []
        let pct = registry.claims.filter {
            [.percent, .validPercent].contains($0.statistic) && quantityKey($0, withCategories: false) != nil
        }
        let groups = Dictionary(grouping: pct, by: { quantityKey($0, withCategories: false)! })
        for (_, cs) in groups.sorted(by: { $0.key < $1.key }) {
            // Greedy family of pairwise-disjoint category sets with the largest lower bounds.
            let sorted = cs.sorted { ($0.rule!.interval!.lo, $0.id) > ($1.rule!.interval!.lo, $1.id) }
            var chosen: [PublishedClaim] = []
            var used: Set<String> = []
            for c in sorted where Set(c.categories).isDisjoint(with: used) {
                chosen.append(c); used.formUnion(c.categories)
            }
            guard chosen.count > 1 else { continue }
            let loSum = chosen.map { $0.rule!.interval!.lo }.reduce(0, +)
            let strict = chosen.contains { !$0.rule!.interval!.loClosed }
            let over = loSum > 100 || (strict && loSum >= 100)
            out.append(AuditFinding(
                id: "exclusive-\(chosen.map(\.id).joined(separator: "+"))", kind: .exclusiveSum,
                status: over ? .inconsistent : .consistent, claims: chosen.map(\.id),
                summary: "disjoint categories of \(chosen[0].variables.joined()), \(chosen[0].groupLabel) \(chosen[0].years.map(String.init).joined())",
                arithmetic: chosen.map { "[\($0.categories.joined(separator: "+"))] ≥ \(fmt($0.rule!.interval!.lo))" }
                    .joined(separator: " + ") + " = \(fmt(loSum)) \(over ? ">" : "≤") 100"))
        }
        return out
    }

    // MARK: - Declared relations

    func evaluate(_ r: AuditRelation) -> AuditFinding {
        func finding(_ status: FindingStatus, _ claims: [String], _ summary: String, _ arithmetic: String,
                     kind: FindingKind) -> AuditFinding {
            AuditFinding(id: r.id, kind: kind, status: status, claims: claims, summary: r.note ?? summary,
                         arithmetic: arithmetic, explanation: r.explanation)
        }
        let missing = r.terms.values.flatMap(ids).filter { byID[$0] == nil } + (r.claim.map { byID[$0] == nil ? [$0] : [] } ?? [])
        let kindMap: [AuditRelation.Kind: FindingKind] = [
            .sum: .sum, .ratio: .responseRate, .difference: .difference, .proportionZ: .proportionZ,
            .sameQuantity: .sameQuantity, .order: .order, .grim: .grim, .meanBetween: .meanBetween, .bound: .bound,
            .meanRange: .meanBetween, .twoProportionZ: .twoProportionZ, .weightedMean: .meanBetween,
            .within: .bound, .contradiction: .contradiction, .validPercent: .validPercent,
        ]
        let kind = kindMap[r.kind] ?? .bound
        if !missing.isEmpty {
            return finding(.notCheckable, [], "relation names unknown claims", "unknown claim ids: \(missing.joined(separator: ", "))", kind: kind)
        }
        var allIDs: [String] = []
        for id in [r.claim].compactMap({ $0 }) + r.terms.keys.sorted().flatMap({ ids(r.terms($0)) }) where !allIDs.contains(id) {
            allIDs.append(id)
        }
        switch r.kind {
        case .sum:
            let parts = r.terms("parts"), minus = r.terms("minus"), total = r.terms("total").first ?? .literal(100)
            let ivs = parts.compactMap(interval), mivs = minus.compactMap(interval)
            guard ivs.count == parts.count, mivs.count == minus.count, let tiv = interval(total) else {
                return finding(.notCheckable, allIDs, "sum", "a term has no number", kind: kind)
            }
            let lo = ivs.map(\.lo).reduce(0, +) - mivs.map(\.hi).reduce(0, +)
            let hi = ivs.map(\.hi).reduce(0, +) - mivs.map(\.lo).reduce(0, +)
            let ptSum = parts.compactMap(point).reduce(0, +) - minus.compactMap(point).reduce(0, +)
            let sumIv = AcceptanceInterval(lo: lo, hi: hi, loClosed: true, hiClosed: true)
            let ok = sumIv.overlaps(tiv)
            return finding(ok ? .consistent : .inconsistent, allIDs, "sum",
                           parts.map(label).joined(separator: " + ") + minus.map { " − " + label($0) }.joined() + " = \(fmt(ptSum, 3)) (with rounding \(sumIv)) \(ok ? "matches" : "≠") \(label(total))" + (ok ? "" : " — off by \(fmt(ptSum - (point(total) ?? 0), 3))"),
                           kind: kind)
        case .ratio:
            guard let num = r.terms("numerator").first, let den = r.terms("denominator").first,
                  let res = r.terms("result").first, let n = point(num), let d = point(den), d > 0,
                  let riv = interval(res) else {
                return finding(.notCheckable, allIDs, "ratio", "a term has no number", kind: kind)
            }
            let v = 100 * n / d
            let ok = riv.contains(v)
            return finding(ok ? .consistent : .inconsistent, allIDs, "ratio",
                           "100 · \(label(num)) / \(label(den)) = \(fmt(v, 3)) \(ok ? "∈" : "∉") \(riv) (printed \(label(res)))", kind: kind)
        case .difference:
            guard let a = r.terms("a").first, let b = r.terms("b").first, let res = r.terms("result").first,
                  let ai = interval(a), let bi = interval(b), let ri = interval(res), let ap = point(a), let bp = point(b) else {
                return finding(.notCheckable, allIDs, "difference", "a term has no number", kind: kind)
            }
            let lo = max(0, max(ai.lo - bi.hi, bi.lo - ai.hi)), hi = max(ai.hi - bi.lo, bi.hi - ai.lo)
            let ok = AcceptanceInterval(lo: lo, hi: hi, loClosed: true, hiClosed: true).overlaps(ri)
            return finding(ok ? .consistent : .inconsistent, allIDs, "difference",
                           "|\(label(a)) − \(label(b))| = \(fmt(abs(ap - bp), 4)) (with rounding [\(fmt(lo, 4)), \(fmt(hi, 4))]) \(ok ? "matches" : "≠") \(label(res))", kind: kind)
        case .proportionZ:
            guard let s = r.terms("sample").first, let p = r.terms("population").first, let nt = r.terms("n").first,
                  let sp = point(s), let pp = point(p), let n = point(nt),
                  let z = SummaryTestAdapter.oneSampleProportionZ(observed: sp / 100, p0: pp / 100, n: Int(n)) else {
                return finding(.notCheckable, allIDs, "proportion z", "a term has no number", kind: kind)
            }
            let isSig = z.p < r.alpha
            let claimed = r.significant ?? false
            let ok = isSig == claimed
            return finding(ok ? .consistent : .inconsistent, allIDs, "one-sample proportion z",
                           "z = (\(fmt(sp / 100, 4)) − \(fmt(pp / 100, 4))) / √(\(fmt(pp / 100, 4))·\(fmt(1 - pp / 100, 4))/\(Int(n))) = \(fmt(z.z, 3)), two-sided p = \(sci(z.p)) \(isSig ? "<" : "≥") \(fmt(r.alpha)); printed \(claimed ? "significant" : "not significant")" + starsNote(z.p), kind: kind)
        case .sameQuantity:
            let ts = r.terms("claims")
            let ivs = ts.compactMap(interval)
            guard ivs.count == ts.count, !ivs.isEmpty else {
                return finding(.notCheckable, allIDs, "same quantity", "a claim has no number", kind: kind)
            }
            var common: AcceptanceInterval? = ivs[0]
            for iv in ivs.dropFirst() { common = common.flatMap { $0.intersection(iv) } }
            return finding(common == nil ? .inconsistent : .consistent, allIDs, "same quantity",
                           zip(ts, ivs).map { "\(label($0.0)) → \($0.1)" }.joined(separator: "; ") +
                           (common.map { "; common ground \($0)" } ?? "; no value satisfies all"), kind: kind)
        case .order:
            guard let cid = r.claim, let c = byID[cid], case .direction(let rel, _, _, let tol)? = c.rule,
                  let a = r.terms("a").first, let b = r.terms("b").first, let ai = interval(a), let bi = interval(b),
                  let ap = point(a), let bp = point(b) else {
                return finding(.notCheckable, allIDs, "order", "direction claim or numbers missing", kind: kind)
            }
            let status: FindingStatus
            let rel2: String
            switch rel {
            case .greater:
                status = ai.lo >= bi.hi ? .consistent : (ai.hi <= bi.lo ? .inconsistent : .notCheckable); rel2 = ">"
            case .less:
                status = ai.hi <= bi.lo ? .consistent : (ai.lo >= bi.hi ? .inconsistent : .notCheckable); rel2 = "<"
            case .similar:
                status = abs(ap - bp) <= (tol ?? 0) ? .consistent : .inconsistent; rel2 = "≈ (±\(fmt(tol ?? 0)))"
            }
            return finding(status, allIDs, "order", "claimed a \(rel2) b: a = \(label(a)), b = \(label(b)) → \(status == .consistent ? "holds" : (status == .inconsistent ? "fails" : "undecidable at print precision"))", kind: kind)
        case .grim:
            let ts = r.terms("claims")
            let nRange: ClosedRange<Int>
            if let nt = r.terms("n").first, let n = point(nt) { nRange = (r.nRange ?? Int(n)...Int(n)) } else if let rr = r.nRange { nRange = rr } else {
                return finding(.notCheckable, allIDs, "grim", "no n", kind: kind)
            }
            let ivs = ts.compactMap(interval)
            guard ivs.count == ts.count else { return finding(.notCheckable, allIDs, "grim", "a claim has no number", kind: kind) }
            var fits: [(Int, [Int])] = []
            for n in nRange {
                var ks: [Int] = []
                var ok = true
                for iv in ivs {
                    let c = GRIM.attainableCounts(in: iv, n: n, percent: true)
                    if c.isEmpty { ok = false; break }
                    ks.append(c[0])
                }
                if ok { fits.append((n, ks)) }
            }
            if fits.isEmpty {
                // Name the cells that fail at the nominal n.
                let n0 = nRange.upperBound
                let failing = zip(ts, ivs).filter { GRIM.attainableCounts(in: $0.1, n: n0, percent: true).isEmpty }
                return finding(.inconsistent, allIDs, "grim",
                               "no n in \(nRange.lowerBound)…\(nRange.upperBound) makes all \(ts.count) percentages attainable; at n = \(n0): " +
                               failing.map { "\(label($0.0)) unattainable (\(neighbours($0.1, n0)))" }.joined(separator: "; "), kind: kind)
            }
            let f0 = fits.last!
            return finding(.consistent, allIDs, "grim",
                           "\(fits.count) n in \(nRange.lowerBound)…\(nRange.upperBound) fit all \(ts.count) values (e.g. n = \(f0.0): counts " +
                           f0.1.map(String.init).joined(separator: ", ") + ")", kind: kind)
        case .meanBetween:
            guard let o = r.terms("overall").first, let oi = interval(o) else {
                return finding(.notCheckable, allIDs, "mean between", "no overall value", kind: kind)
            }
            let ps = r.terms("parts").compactMap(interval)
            guard !ps.isEmpty else { return finding(.notCheckable, allIDs, "mean between", "no parts", kind: kind) }
            let hull = AcceptanceInterval(lo: ps.map(\.lo).min()!, hi: ps.map(\.hi).max()!, loClosed: true, hiClosed: true)
            let ok = hull.overlaps(oi)
            return finding(ok ? .consistent : .inconsistent, allIDs, "pooled between parts",
                           "pooled \(label(o)) → \(oi) must meet the subgroup hull \(hull) (parts " + r.terms("parts").map(label).joined(separator: ", ") + ")", kind: kind)
        case .bound:
            let aTerms = r.terms("a")
            let ais = aTerms.compactMap(interval)
            guard !aTerms.isEmpty, ais.count == aTerms.count, let b = r.terms("b").first, let bi = interval(b) else {
                return finding(.notCheckable, allIDs, "bound", "a term has no number", kind: kind)
            }
            let aLo = r.useUpperEnd ? ais.map(\.hi).reduce(0, +) - 0.5 : ais.map(\.lo).reduce(0, +)
            let ok = bi.hiClosed ? aLo <= bi.hi : aLo < bi.hi
            return finding(ok ? .consistent : .inconsistent, allIDs, "bound",
                           aTerms.map(label).joined(separator: " + ") + " must not exceed \(label(b)): smallest value \(fmt(aLo, 4)) \(ok ? "≤" : ">") \(fmt(bi.hi, 4))", kind: kind)
        case .twoProportionZ:
            guard let a = r.terms("a").first, let b = r.terms("b").first, let n1t = r.terms("n1").first,
                  let n2t = r.terms("n2").first, let pa = point(a), let pb = point(b), let n1 = point(n1t),
                  let n2 = point(n2t),
                  let z = SummaryTestAdapter.twoProportionZ(p1: pa / 100, n1: Int(n1), p2: pb / 100, n2: Int(n2)) else {
                return finding(.notCheckable, allIDs, "two-proportion z", "a term has no number", kind: kind)
            }
            let isSig = z.p < r.alpha
            let claimed = r.significant ?? false
            let head = "\(label(a)) of n = \(Int(n1)) vs \(label(b)) of n = \(Int(n2)): pooled z = \(fmt(z.z, 3)), two-sided p = \(sci(z.p)) \(isSig ? "<" : "≥") \(fmt(r.alpha))"
            if let cid = r.claim, byID[cid]?.statistic == .direction {
                // The report states only a direction here: the test says whether it is more than sampling noise.
                return finding(.consistent, allIDs, "two-proportion z", head + "; the report claims a direction only — " +
                               (isSig ? "and the difference is beyond sampling noise" : "the difference is within sampling noise"), kind: kind)
            }
            return finding(isSig == claimed ? .consistent : .inconsistent, allIDs, "two-proportion z",
                           head + "; printed \(claimed ? "significant" : "not significant")", kind: kind)
        case .weightedMean:
            let parts = r.terms("parts"), weights = r.terms("weights")
            let ivs = parts.compactMap(interval), ws = weights.compactMap(point)
            guard ivs.count == parts.count, ws.count == parts.count, !ws.isEmpty, ws.reduce(0, +) > 0,
                  let o = r.terms("overall").first, let oi = interval(o) else {
                return finding(.notCheckable, allIDs, "weighted mean", "a term has no number", kind: kind)
            }
            let wsum = ws.reduce(0, +)
            let lo = zip(ivs, ws).map { $0.lo * $1 }.reduce(0, +) / wsum
            let hi = zip(ivs, ws).map { $0.hi * $1 }.reduce(0, +) / wsum
            let pt = zip(parts.compactMap(point), ws).map { $0 * $1 }.reduce(0, +) / wsum
            let ok = AcceptanceInterval(lo: lo, hi: hi, loClosed: true, hiClosed: true).overlaps(oi)
            return finding(ok ? .consistent : .inconsistent, allIDs, "weighted mean",
                           "(" + zip(parts, weights).map { "\(label($0.0))·\(label($0.1))" }.joined(separator: " + ") + ") / \(fmt(wsum)) = \(fmt(pt, 3)) (with rounding [\(fmt(lo, 3)), \(fmt(hi, 3))]) \(ok ? "meets" : "misses") \(label(o)) → \(oi)", kind: kind)
        case .within:
            let parts = r.terms("parts")
            guard let o = r.terms("overall").first, let oi = interval(o), !parts.isEmpty else {
                return finding(.notCheckable, allIDs, "within", "no range", kind: kind)
            }
            let outside = parts.filter { t in interval(t).map { !$0.overlaps(oi) } ?? true }
            return finding(outside.isEmpty ? .consistent : .inconsistent, allIDs, "within",
                           "range \(label(o)) → \(oi); " + (outside.isEmpty ? "all \(parts.count) values inside: " + parts.map(label).joined(separator: ", ")
                                                                 : "outside: " + outside.map(label).joined(separator: ", ")), kind: kind)
        case .validPercent:
            let parts = r.terms("parts")
            let ivs = parts.compactMap(interval)
            guard ivs.count == parts.count, !ivs.isEmpty, let m = r.terms("missing").first, let mp = point(m) else {
                return finding(.notCheckable, allIDs, "valid percent", "a term has no number", kind: kind)
            }
            let lo = ivs.map(\.lo).reduce(0, +), hi = ivs.map(\.hi).reduce(0, +)
            let ok = lo <= 100 && 100 <= hi
            let ofAll = parts.compactMap(point).map { $0 * (100 - mp) / 100 }
            return finding(ok ? .consistent : .inconsistent, allIDs, "valid percent",
                           parts.map(label).joined(separator: " + ") + " = \(fmt(parts.compactMap(point).reduce(0, +), 3)) (with rounding [\(fmt(lo, 3)), \(fmt(hi, 3))]) " +
                           (ok ? "= 100 on its own: these are valid percentages; with \(label(m)) % missing they are " + ofAll.map { fmt($0, 2) }.joined(separator: " and ") + " % of all (sum \(fmt(ofAll.reduce(0, +) + mp, 2)))"
                               : "≠ 100: not valid percentages either"), kind: kind)
        case .contradiction:
            return finding(.inconsistent, allIDs, "contradiction", r.logic ?? "the statements cannot both hold", kind: kind)
        case .meanRange:
            let parts = r.terms("parts")
            let shares = parts.compactMap(point).map { $0 / 100 }
            guard shares.count == parts.count, r.scores.count == parts.count, r.rest.count == 2,
                  r.scores.allSatisfy({ $0.count == 2 }), let o = r.terms("overall").first, let oi = interval(o) else {
                return finding(.notCheckable, allIDs, "mean range", "shares, scores or overall missing", kind: kind)
            }
            let restShare = max(0, 1 - shares.reduce(0, +))
            let lo = zip(shares, r.scores).map { $0 * $1[0] }.reduce(0, +) + restShare * r.rest[0]
            let hi = zip(shares, r.scores).map { $0 * $1[1] }.reduce(0, +) + restShare * r.rest[1]
            let ok = AcceptanceInterval(lo: lo, hi: hi, loClosed: true, hiClosed: true).overlaps(oi)
            let terms = zip(parts, r.scores).map { "\(label($0.0)) at \(fmt($0.1[0]))–\(fmt($0.1[1]))" }.joined(separator: ", ")
            return finding(ok ? .consistent : .inconsistent, allIDs, "mean allowed by the distribution",
                           "\(terms), remaining \(fmt(restShare * 100, 2)) % at \(fmt(r.rest[0]))–\(fmt(r.rest[1])) → mean ∈ [\(fmt(lo, 3)), \(fmt(hi, 3))] \(ok ? "meets" : "misses") \(label(o)) → \(oi)", kind: kind)
        }
    }

    private func starsNote(_ p: Double) -> String {
        let s = significanceStars(p)
        return "; by the usual * .05 / ** .01 / *** .001 convention this is «\(s.isEmpty ? "ns" : s)»"
    }
}

func fmt(_ x: Double, _ digits: Int = 6) -> String {
    let m = pow(10, Double(digits))
    return formatNumber((x * m).rounded() / m)
}

func sci(_ p: Double) -> String { p < 0.0001 ? String(format: "%.2e", p) : String(format: "%.4f", p) }
