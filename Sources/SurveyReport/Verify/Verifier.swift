import Foundation

/// One line of `surveystats verify`: a published claim recomputed from the bundled datasets.
public struct VerificationLine: Sendable {
    public enum Status: String, Sendable { case pass = "pass", fail = "FAIL", inconsistent = "inconsistent" }
    public var claim: String
    public var published: String
    public var computed: String
    public var status: Status
    /// The reconstructed datasets the claim was recomputed from (ids of the reconstruction spec, in the order
    /// they were used; a claim pooled over several surveys names each once).
    public var datasets: [String]
    /// Why a failure is not held against the data: the audit finding(s) that show the report's own numbers conflict.
    public var note: String?
}

/// Recomputes every claim the reconstruction targets from the datasets on disk (read through their codebooks with
/// the data layer) and judges it with the claims registry's acceptance rules (`ClaimCheck`); claims without a
/// registry rule are judged by the reconstruction spec's interval. A failing claim that the consistency audit
/// shows to be inconsistent with other published numbers is reported as `inconsistent`, not silently dropped —
/// but only while the conflict explains the failure: the audit is run again without the other claims these data
/// fail, and the claim stays `inconsistent` only if it still conflicts with what is left (the claims the data
/// satisfy and those they do not speak to). A claim of an inconsistent finding whose data moved away from every
/// reading of the report (say 74,3 % → 56,6 % while the rest of its table holds) is a `FAIL`, so a regression
/// cannot hide behind an audit finding.
public struct Verifier {
    public let spec: ReconstructionSpec
    public let registry: ClaimRegistry?
    /// Audit status per claim id (from `ConsistencyAudit`), used to explain unsatisfiable claims.
    public let auditStatus: [String: FindingStatus]
    public let auditFindings: [String: [String]]
    /// The audit's hand-declared relations, for re-running it on the claims the data do not contradict.
    public let auditRelations: [AuditRelation]
    public let dataDirectory: String

    public init(spec: ReconstructionSpec, registry: ClaimRegistry?, auditStatus: [String: FindingStatus] = [:],
                auditFindings: [String: [String]] = [:], auditRelations: [AuditRelation] = [], dataDirectory: String) {
        self.spec = spec; self.registry = registry; self.auditStatus = auditStatus
        self.auditFindings = auditFindings; self.auditRelations = auditRelations; self.dataDirectory = dataDirectory
    }

    /// The inconsistent findings that explain the failure of `id`: those of an audit of the registry without the
    /// other claims in `failing`, in which `id` is still inconsistent; nil when none is (the failure is not the
    /// report's conflict but the data's).
    func findingsExplaining(_ id: String, failing: Set<String>) -> [String]? {
        guard auditStatus[id] == .inconsistent else { return nil }
        guard let registry else { return auditFindings[id] ?? [] }
        let kept = registry.claims.filter { $0.id == id || !failing.contains($0.id) }
        let audit = ConsistencyAudit(registry: ClaimRegistry(claims: kept), relations: auditRelations).run()
        guard audit.claimStatus[id] == .inconsistent else { return nil }
        return audit.findings.filter { $0.status == .inconsistent && $0.claims.contains(id) }.map(\.id)
    }

    /// Loads a reconstructed dataset through its codebook.
    public static func loadDataset(_ ds: ReconstructionSpec.DatasetSpec, directory: String) throws -> Dataset {
        let dir = directory as NSString
        let cb = try Codebook(path: dir.appendingPathComponent(ds.codebook))
        return try Dataset.load(path: dir.appendingPathComponent(ds.file), codebook: cb)
    }

    /// Frequencies of `variable` pooled over `refs`, computed from loaded datasets.
    public static func counts(_ variable: String, _ refs: [ReconstructionSpec.GroupRef], data: [String: Dataset],
                              scale: (min: Int, max: Int)) throws -> CategoryCounts? {
        var acc = CategoryCounts(minCode: scale.min, categories: scale.max - scale.min + 1)
        var any = false
        for r in refs {
            guard let d = data[r.dataset], let v = d[variable] else { continue }
            any = true
            let values = try v.numericValues()
            var keep = Array(repeating: true, count: d.rowCount)
            for (g, codes) in r.where {
                let gv = try d.variable(g).numericValues()
                for i in 0..<d.rowCount where !(gv[i].map { codes.contains(Int($0)) } ?? false) { keep[i] = false }
            }
            for i in 0..<d.rowCount where keep[i] {
                if let x = values[i], x == x.rounded(), Int(x) >= scale.min, Int(x) <= scale.max {
                    acc.counts[Int(x) - scale.min] += 1
                } else {
                    acc.missing += 1
                }
            }
        }
        return any ? acc : nil
    }

    public func run() throws -> [VerificationLine] {
        var data: [String: Dataset] = [:]
        for ds in spec.datasets { data[ds.id] = try Self.loadDataset(ds, directory: dataDirectory) }
        var scales: [String: (min: Int, max: Int)] = [:]
        for ds in spec.datasets { for v in ds.variables where scales[v.name] == nil { scales[v.name] = (v.min, v.max) } }
        // Grouping variables (rolle, ansettelse) have targets too: Tabell 4's composition rows. Their codes differ
        // between datasets (rolle: 1–3 for ordførere/rådmenn, 1–6 in the office survey), so per dataset.
        var groupingScales: [String: [String: (min: Int, max: Int)]] = [:]
        for ds in spec.datasets {
            for g in ds.groupings {
                let codes = g.cells.map(\.code)
                if let lo = codes.min(), let hi = codes.max() { groupingScales[ds.id, default: [:]][g.variable] = (lo, hi) }
            }
        }

        var order: [String] = []
        var results: [String: (published: String, computed: [String], datasets: [String], ok: Bool)] = [:]
        func record(_ id: String, datasets: [String], published: String, computed: String, ok: Bool) {
            if results[id] == nil { order.append(id); results[id] = (published, [], [], true) }
            results[id]!.computed.append(computed)
            for d in datasets where !results[id]!.datasets.contains(d) { results[id]!.datasets.append(d) }
            results[id]!.ok = results[id]!.ok && ok
        }

        for ds in spec.datasets {
            for t in ds.targets {
                let claim = registry?[t.claim]
                // A target counts rows of the datasets its groups name (a 2014–2016 pooling reads three files).
                let refs = (t.groups ?? []) + (t.groupsA ?? []) + (t.groupsB ?? [])
                let used = refs.isEmpty ? [ds.id] : refs.map(\.dataset)
                if t.statistic == "regression" {
                    try verifyRegression(t, data: data) { record($0, datasets: [$1], published: $2, computed: $3, ok: $4) }
                    continue
                }
                // Internal constraints of the reconstruction (e.g. footnote 5's complete cases) are not claims.
                // So are a figure caption's n for the items no claim is about (`caption-figur-N-n`).
                if claim == nil && (t.claim.hasPrefix("text-fn5-") || t.claim.hasPrefix("caption-")) { continue }
                guard let scale = scales[t.variable] ?? t.groups?.first.flatMap({ groupingScales[$0.dataset]?[t.variable] }) else { continue }
                let c = { (refs: [ReconstructionSpec.GroupRef]?) in try refs.flatMap { try Self.counts(t.variable, $0, data: data, scale: scale) } }
                let pooled = try c(t.groups), a = try c(t.groupsA), b = try c(t.groupsB)
                let own = t.evaluate(pooled: pooled, a: a, b: b)
                let published = claim?.printed ?? t.published ?? "-"
                guard let claim, let rule = claim.rule, claim.checkable else {
                    record(t.claim, datasets: used, published: published, computed: own.computed, ok: own.satisfied)
                    continue
                }
                switch (t.statistic, rule) {
                case ("percent", .interval), ("mean", .interval), ("n", .interval):
                    guard let p = pooled else { record(t.claim, datasets: used, published: published, computed: "no data", ok: false); continue }
                    let x: Double? = t.statistic == "percent" ? p.percent(of: t.categories ?? [])
                        : t.statistic == "mean" ? p.mean : Double(p.valid)
                    guard let x else { record(t.claim, datasets: used, published: published, computed: "no valid answers", ok: false); continue }
                    let r = ClaimCheck.check(claim, computed: .value(x))
                    let reason = Self.asPrinted(r.reason, x, claim: claim, rule: rule)
                    // The base n the claim states (its figure's caption), where the target carries it.
                    if t.statistic != "n", let n = t.n, p.valid != n {
                        record(t.claim, datasets: used, published: published, computed: reason + "; n = \(p.valid), published n = \(n)", ok: false)
                    } else {
                        record(t.claim, datasets: used, published: published, computed: reason + (t.statistic != "n" && t.n != nil ? " (n = \(p.valid))" : ""),
                               ok: r.passed)
                    }
                case ("welch-t", .significance):
                    guard let a, let b, let ma = a.mean, let mb = b.mean, let va = a.variance, let vb = b.variance,
                          let test = try? UnequalVarianceTTest(mean1: ma, sd1: va.squareRoot(), n1: a.valid,
                                                               mean2: mb, sd2: vb.squareRoot(), n2: b.valid) else {
                        record(t.claim, datasets: used, published: published, computed: "no data", ok: false); continue
                    }
                    let r = ClaimCheck.check(claim, computed: .test(pValue: test.pValue))
                    var ok = r.passed
                    if t.relation == "greater" && ma <= mb { ok = false }
                    if t.relation == "less" && ma >= mb { ok = false }
                    record(t.claim, datasets: used, published: published,
                           computed: String(format: "%.3f vs %.3f, Welch ", ma, mb) + r.reason, ok: ok)
                case ("direction-mean", .direction), ("direction-percent", .direction):
                    let isMean = t.statistic == "direction-mean"
                    guard let a, let b, let va = isMean ? a.mean : a.percent(of: t.categories ?? []),
                          let vb = isMean ? b.mean : b.percent(of: t.categories ?? []) else {
                        record(t.claim, datasets: used, published: published, computed: "no data", ok: false); continue
                    }
                    let r = ClaimCheck.check(claim, computed: .comparison(a: va, b: vb))
                    record(t.claim, datasets: used, published: published, computed: r.reason, ok: r.passed)
                default:
                    record(t.claim, datasets: used, published: published, computed: own.computed, ok: own.satisfied)
                }
            }
        }
        let failing = Set(order.filter { !results[$0]!.ok })
        return order.map { id in
            let r = results[id]!
            var status: VerificationLine.Status = r.ok ? .pass : .fail
            var note: String?
            if !r.ok, auditStatus[id] == .inconsistent {
                if let explaining = findingsExplaining(id, failing: failing) {
                    status = .inconsistent
                    note = "audit: " + explaining.joined(separator: ", ")
                } else {
                    note = "audit: " + (auditFindings[id] ?? []).joined(separator: ", ")
                        + " — yet it agrees with every published number these data do not contradict: the data moved"
                }
            }
            return VerificationLine(claim: id, published: r.published, computed: r.computed.joined(separator: "; "),
                                    status: status, datasets: r.datasets, note: note)
        }
    }

    /// The verdict on an interval claim with the computed value shown with as many decimals as the claim was
    /// printed with ("24.2 ∈ [24.15, 24.25)", not "24.221046 ∈ …"), so that it reads against the published
    /// number (a verbal claim: one decimal more than its interval bounds); one more decimal at a time (up to 6) when rounding would put the shown value on the other side of
    /// an interval bound than the value judged.
    static func asPrinted(_ reason: String, _ x: Double, claim: PublishedClaim, rule: AcceptanceRule) -> String {
        guard case .interval(let iv) = rule, let space = reason.firstIndex(of: " ") else { return reason }
        let k = claim.printedScale ?? 1
        let shownX = x * k
        let scaled = AcceptanceInterval(lo: iv.lo * k, hi: iv.hi * k, loClosed: iv.loClosed, hiClosed: iv.hiClosed)
        // A verbal claim («de fleste», «ganske godt») has no printed digits: one decimal more than its bounds.
        func places(_ v: Double) -> Int {
            let t = "\(v)"
            guard let dot = t.firstIndex(of: "."), !t.contains("e") else { return 0 }
            return t.hasSuffix(".0") ? 0 : t.distance(from: dot, to: t.endIndex) - 1
        }
        var decimals = claim.printed.flatMap(PrintedNumber.init)?.decimals
            ?? min(4, max(places(scaled.lo), places(scaled.hi)) + 1)
        var text = String(format: "%.\(decimals)f", shownX)
        while decimals < 6, let back = Double(text), scaled.contains(back) != scaled.contains(shownX) {
            decimals += 1
            text = String(format: "%.\(decimals)f", shownX)
        }
        return text + reason[space...]
    }

    /// Footnote 5: fits y ~ x with the library's OLS on the target's rows and checks F, R², df and p claims.
    /// `record` takes the claim id, the dataset id, the published and computed texts, and the verdict.
    func verifyRegression(_ t: ReconstructionSpec.Target, data: [String: Dataset],
                          record: (String, String, String, String, Bool) -> Void) throws {
        guard let ref = t.groups?.first, var d = data[ref.dataset], let x = t.predictor else { return }
        if !ref.where.isEmpty {
            var keep = Array(repeating: true, count: d.rowCount)
            for (g, codes) in ref.where {
                let gv = try d.variable(g).numericValues()
                for i in 0..<d.rowCount where !(gv[i].map { codes.contains(Int($0)) } ?? false) { keep[i] = false }
            }
            d = d.filtered(keep)
        }
        let model = try LinearModel(formula: "\(t.variable) ~ \(x)", data: d)
        guard let f = model.fTest else { record(t.claim, ref.dataset, t.published ?? "-", "no F test", false); return }
        let claims = (registry?.claims ?? []).filter { $0.id.hasPrefix("text-fn5-") }
        if claims.isEmpty {
            let ok = t.fInterval.map { f.statistic >= $0[0] && f.statistic < $0[1] } ?? false
            record(t.claim, ref.dataset, t.published ?? "-", String(format: "F(%d, %d) = %.4f, R² = %.4f", f.df1, f.df2, f.statistic, model.rSquared), ok)
            return
        }
        for c in claims {
            let value: Double
            switch c.statistic {
            case .f: value = f.statistic
            case .rSquared: value = model.rSquared
            case .p: value = f.pValue
            case .df: value = abs(Double(f.df1) - (c.value ?? 0)) < abs(Double(f.df2) - (c.value ?? 0)) ? Double(f.df1) : Double(f.df2)
            case .n: value = Double(model.n)
            default: continue
            }
            let r = ClaimCheck.check(c, computed: .value(value))
            record(c.id, ref.dataset, c.printed ?? "-", c.rule.map { Self.asPrinted(r.reason, value, claim: c, rule: $0) } ?? r.reason, r.passed)
        }
    }
}
