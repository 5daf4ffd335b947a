import Foundation

/// Builds synthetic respondent-level data that reproduce the published numbers of a `ReconstructionSpec`.
///
/// In the spirit of SPRITE/CORVIDS, but multivariate: (1) respondents are laid out in cells of the grouping
/// variables with the published group sizes; (2) for each item, a seeded local search over the per-cell count
/// vectors (including a "missing" slot) minimises the total penalty of every target on that item — percents, means,
/// item n, directions and t-test (non-)significance, also across surveys when a figure compares them; (3) counts
/// become rows by a seeded shuffle within each cell; (4) joint targets (footnote 5's regression) are met by
/// swapping values between respondents of the same cell, which keeps every marginal. Everything is driven by
/// `SplitMix64`, so the same spec and seed give byte-identical files.
public struct Reconstructor {
    public let spec: ReconstructionSpec
    /// Called with one-line progress messages (the CLI prints them on stderr).
    public var progress: (String) -> Void = { _ in }
    /// Upper bound on search steps per variable.
    public var maxSteps = 2500

    public init(spec: ReconstructionSpec) { self.spec = spec }

    /// One respondent cell: a combination of grouping codes with its size.
    struct Cell { let dataset: Int; let codes: [String: Int]; let size: Int }

    public struct TargetResult: Sendable {
        public var dataset: String
        public var target: ReconstructionSpec.Target
        public var outcome: TargetOutcome
    }

    public struct Output: Sendable {
        public var files: [(name: String, contents: String)]
        public var results: [TargetResult]
        public var unsatisfied: [TargetResult] { results.filter { !$0.outcome.satisfied } }
    }

    // MARK: cells

    func cells(of ds: ReconstructionSpec.DatasetSpec, index: Int) throws -> [Cell] {
        let gs = ds.groupings
        guard let first = gs.first else { return [Cell(dataset: index, codes: [:], size: ds.rows)] }
        guard first.cells.reduce(0, { $0 + $1.n }) == ds.rows else {
            throw DataError.invalid("\(ds.id): grouping \(first.variable) sums to \(first.cells.reduce(0) { $0 + $1.n }), rows = \(ds.rows)")
        }
        if gs.count == 1 {
            return first.cells.map { Cell(dataset: index, codes: [first.variable: $0.code], size: $0.n) }
        }
        guard gs.count == 2 else { throw DataError.invalid("\(ds.id): at most two grouping variables are supported") }
        let second = gs[1]
        let cols = second.cells.map(\.n)
        guard cols.reduce(0, +) == ds.rows else {
            throw DataError.invalid("\(ds.id): grouping \(second.variable) does not sum to \(ds.rows)")
        }
        // Independent allocation (no published cross-tabulation), rounded so both margins are exact.
        var table = first.cells.map { r in cols.map { Double(r.n) * Double($0) / Double(ds.rows) } }
        var ints = table.map { $0.map { Int($0.rounded(.down)) } }
        var colDeficit = cols.enumerated().map { j, c in c - ints.reduce(0) { $0 + $1[j] } }
        for i in ints.indices {
            var deficit = first.cells[i].n - ints[i].reduce(0, +)
            let order = cols.indices.sorted { a, b in
                let fa = table[i][a] - Double(ints[i][a]), fb = table[i][b] - Double(ints[i][b])
                return fa != fb ? fa > fb : a < b
            }
            var k = 0
            while deficit > 0 && k < order.count * 4 {
                let j = order[k % order.count]
                if colDeficit[j] > 0 { ints[i][j] += 1; colDeficit[j] -= 1; deficit -= 1 }
                k += 1
            }
        }
        table = []
        var out: [Cell] = []
        for (i, r) in first.cells.enumerated() {
            for (j, c) in second.cells.enumerated() {
                out.append(Cell(dataset: index, codes: [first.variable: r.code, second.variable: c.code], size: ints[i][j]))
            }
        }
        return out
    }

    static func matches(_ cell: Cell, _ ref: ReconstructionSpec.GroupRef, datasetID: String) -> Bool {
        guard ref.dataset == datasetID else { return false }
        for (v, codes) in ref.where {
            guard let c = cell.codes[v], codes.contains(c) else { return false }
        }
        return true
    }

    // MARK: run

    public func run() throws -> Output {
        var allCells: [Cell] = []
        for (i, ds) in spec.datasets.enumerated() { allCells += try cells(of: ds, index: i) }
        let dsIndex = Dictionary(uniqueKeysWithValues: spec.datasets.enumerated().map { ($1.id, $0) })

        // Variables by name, in first-appearance order.
        var order: [String] = []
        var varSpecs: [String: ReconstructionSpec.VariableSpec] = [:]
        for ds in spec.datasets {
            for v in ds.variables where varSpecs[v.name] == nil { order.append(v.name); varSpecs[v.name] = v }
        }
        var targetsByVar: [String: [(ds: String, t: ReconstructionSpec.Target)]] = [:]
        for ds in spec.datasets {
            for t in ds.targets where t.statistic != "regression" { targetsByVar[t.variable, default: []].append((ds.id, t)) }
        }
        let groupingNames = Set(spec.datasets.flatMap { $0.groupings.map(\.variable) })

        // Solved count vectors per (variable, global cell).
        var solved: [String: [Int: CategoryCounts]] = [:]
        var results: [TargetResult] = []
        for (vi, name) in order.enumerated() {
            guard let vs = varSpecs[name] else { continue }
            let t0 = Date()
            defer { if ProcessInfo.processInfo.environment["RECON_TIMING"] != nil { progress(String(format: "  %@ %.2fs", name, Date().timeIntervalSince(t0))) } }
            let participating = Set(spec.datasets.enumerated().filter { $0.element.variables.contains { $0.name == name } }.map { $0.offset })
            let local = allCells.indices.filter { participating.contains(allCells[$0].dataset) }
            var rng = SplitMix64.derived(seed: spec.seed, key: "counts/" + name)
            var state = local.map { initialCounts(vs, size: allCells[$0].size, rng: &rng) }
            let targets = (targetsByVar[name] ?? [])
            var memo: [ReconstructionSpec.GroupRef: [Int]] = [:]
            func cellsOf(_ refs: [ReconstructionSpec.GroupRef]) -> [Int] {
                var out: [Int] = []
                for r in refs {
                    if memo[r] == nil {
                        memo[r] = local.indices.filter { k in
                            let cell = allCells[local[k]]
                            return Self.matches(cell, r, datasetID: spec.datasets[cell.dataset].id)
                        }
                    }
                    out += memo[r] ?? []
                }
                return out
            }
            func pooled(_ refs: [ReconstructionSpec.GroupRef], _ s: [CategoryCounts]) -> CategoryCounts? {
                let ks = cellsOf(refs)
                guard let f = ks.first else { return nil }
                var acc = CategoryCounts(minCode: s[f].minCode, categories: s[f].counts.count)
                for k in ks { acc.add(s[k]) }
                return acc
            }
            // Cell lists per target, resolved once (hashing group references in the inner loop is too slow).
            let lists: [(g: [Int]?, a: [Int]?, b: [Int]?)] = targets.map { t in
                (t.t.groups.map(cellsOf), t.t.groupsA.map(cellsOf), t.t.groupsB.map(cellsOf))
            }
            func pool(_ ks: [Int]?, _ s: [CategoryCounts]) -> CategoryCounts? {
                guard let ks, let f = ks.first else { return nil }
                var acc = s[f]
                for k in ks.dropFirst() { acc.add(s[k]) }
                return acc
            }
            // Targets on the same groups share one pooled count vector per evaluation.
            var uniqueLists: [[Int]] = []
            var listID: [[Int]: Int] = [:]
            func idOf(_ l: [Int]?) -> Int? {
                guard let l else { return nil }
                if let i = listID[l] { return i }
                listID[l] = uniqueLists.count; uniqueLists.append(l); return uniqueLists.count - 1
            }
            let ids: [(g: Int?, a: Int?, b: Int?)] = lists.map { (idOf($0.g), idOf($0.a), idOf($0.b)) }
            var cache: [CategoryCounts?] = []
            func refreshCache(_ s: [CategoryCounts]) { cache = uniqueLists.map { pool($0, s) } }
            func outcomeCached(_ ti: Int) -> TargetOutcome {
                targets[ti].t.evaluate(pooled: ids[ti].g.flatMap { cache[$0] }, a: ids[ti].a.flatMap { cache[$0] },
                                       b: ids[ti].b.flatMap { cache[$0] })
            }
            func outcome(_ ti: Int, _ s: [CategoryCounts]) -> TargetOutcome {
                targets[ti].t.evaluate(pooled: pool(lists[ti].g, s), a: pool(lists[ti].a, s), b: pool(lists[ti].b, s))
            }
            func penalties(_ s: [CategoryCounts]) -> [Double] {
                targets.indices.map { outcome($0, s).penalty }
            }
            // Which targets a cell's counts can change: only those are re-evaluated after a move.
            var targetsOfCell = Array(repeating: [Int](), count: local.count)
            for (ti, t) in targets.enumerated() {
                for k in Set(cellsOf((t.t.groups ?? []) + (t.t.groupsA ?? []) + (t.t.groupsB ?? []))) {
                    targetsOfCell[k].append(ti)
                }
            }
            var listsOfCell = Array(repeating: [Int](), count: local.count)
            for (li, l) in uniqueLists.enumerated() { for k in Set(l) { listsOfCell[k].append(li) } }
            refreshCache(state)
            /// Penalties after cell k changed by moving one answer from slot `from` to slot `to` (cache is the
            /// pooled state before the move; it is patched, evaluated and restored).
            func updated(_ p: [Double], cell k: Int, from: Int, to: Int, amount: Int) -> [Double] {
                for li in listsOfCell[k] { if cache[li] != nil { Self.move(&cache[li]!, from, to, amount) } }
                var q = p
                for ti in targetsOfCell[k] { q[ti] = outcomeCached(ti).penalty }
                for li in listsOfCell[k] { if cache[li] != nil { Self.move(&cache[li]!, to, from, amount) } }
                return q
            }
            // Weighted local search with "breakout" (Morris 1993): when the search stalls with targets still
            // violated, their weights are doubled so the search can cross the ridge between them and leave the local
            // minimum. The state kept is the best under the spec's own weights (1 unless a target is marked as
            // contradicted by the report's other numbers), so a breakout never makes the result worse.
            let baseWeights = targets.map { $0.t.weight ?? 1 }
            var weights = baseWeights
            func weighted(_ p: [Double], _ w: [Double]) -> Double {
                var s = 0.0
                for i in p.indices where p[i] > 0 { s += w[i] * p[i] }
                return s
            }
            var pens = penalties(state)
            var total = weighted(pens, weights)
            var bestState = state
            var bestBase = weighted(pens, baseWeights)
            var step = 0
            var lastImprovement = 0
            var bestTotal = total
            var breakouts = 0
            let maxBreakouts = 12
            while total > 0 && step < maxSteps * 4 {
                if step - lastImprovement >= 300 || step >= maxSteps && breakouts == 0 {
                    // Stalled (or out of the first round's budget) with violated targets: breakout.
                    guard breakouts < maxBreakouts else { break }
                    breakouts += 1
                    for i in pens.indices where pens[i] > 0 { weights[i] *= 2 }
                    total = weighted(pens, weights)
                    bestTotal = total; lastImprovement = step
                }
                step += 1
                if total < bestTotal { bestTotal = total; lastImprovement = step }
                let violated = pens.indices.filter { pens[$0] > 0 }
                let t = targets[violated[rng.below(violated.count)]].t
                let cand = cellsOf((t.groups ?? []) + (t.groupsA ?? []) + (t.groupsB ?? []))
                guard !cand.isEmpty else { break }
                var best: (k: Int, from: Int, to: Int, pens: [Double], total: Double)?
                let k0 = cand[rng.below(cand.count)]
                let slots0 = state[k0].counts.count + 1  // last slot = missing
                // Small scales: the whole neighbourhood of one cell (best improvement); large ones: a sample.
                let proposals: [(Int, Int, Int)] = slots0 <= 12
                    ? (0..<slots0).flatMap { f in (0..<slots0).map { (k0, f, $0) } }
                    : (0..<24).map { _ in (cand[rng.below(cand.count)], rng.below(slots0), rng.below(slots0)) }
                // Far from a target, moving one answer at a time is slow on big groups: also try blocks.
                let block = max(1, state[k0].valid / 60)
                var bestAmount = 1
                for (k, from, to) in proposals {
                    guard from != to else { continue }
                    for amount in (block > 1 ? [1, block] : [1]) where Self.count(state[k], from) >= amount {
                        let p = updated(pens, cell: k, from: from, to: to, amount: amount)
                        let tot = weighted(p, weights)
                        if best == nil || tot < best!.total { best = (k, from, to, p, tot); bestAmount = amount }
                    }
                }
                if let b = best, b.total < total || (b.total == total && rng.unit() < 0.2) {
                    for _ in 0..<bestAmount {
                        Self.move(&state[b.k], b.from, b.to)
                        for li in listsOfCell[b.k] { if cache[li] != nil { Self.move(&cache[li]!, b.from, b.to) } }
                    }
                    pens = b.pens; total = b.total
                    let base = weighted(pens, baseWeights)
                    if base < bestBase { bestBase = base; bestState = state }
                }
            }
            if weighted(pens, baseWeights) > bestBase { state = bestState }
            /// A p-value printed to three decimals ([.3055, .3065)) is narrower than what moving one answer does
            /// to p (~.03 in groups of ~100), so the search can stall next to a count vector that meets it: one
            /// answer moved each way in two cells (the mean kept, the spread changed) is the step it lacks. For
            /// each violated p-interval target, pairs of single moves in its cells are tried in a fixed order;
            /// a pair is kept only if no satisfied target becomes violated and the penalty falls.
            func polishNarrowTargets() {
                refreshCache(state)
                pens = penalties(state)
                let narrow = targets.indices.filter { targets[$0].t.pInterval != nil }
                for ti in narrow where pens[ti] > 0 {
                    let t = targets[ti].t
                    let cells = Array(Set(cellsOf((t.groups ?? []) + (t.groupsA ?? []) + (t.groupsB ?? [])))).sorted()
                    func singles() -> [(k: Int, from: Int, to: Int)] {
                        cells.flatMap { k in
                            (0...state[k].counts.count).flatMap { f in
                                (0...state[k].counts.count).compactMap { to in
                                    f != to && Self.count(state[k], f) > 0 ? (k, f, to) : nil
                                }
                            }
                        }
                    }
                    var evaluations = 0
                    var improved = true
                    while improved && pens[ti] > 0 && evaluations < 200_000 {
                        improved = false
                        let base = weighted(pens, baseWeights)
                        search: for m1 in singles() {
                            let p1 = updated(pens, cell: m1.k, from: m1.from, to: m1.to, amount: 1)
                            Self.move(&state[m1.k], m1.from, m1.to)
                            for li in listsOfCell[m1.k] { if cache[li] != nil { Self.move(&cache[li]!, m1.from, m1.to) } }
                            for m2 in singles() where !(m2.k == m1.k && m2.from == m1.to && m2.to == m1.from) {
                                evaluations += 1
                                let p2 = updated(p1, cell: m2.k, from: m2.from, to: m2.to, amount: 1)
                                let keepsSatisfied = pens.indices.allSatisfy { pens[$0] > 0 || p2[$0] == 0 }
                                if keepsSatisfied && weighted(p2, baseWeights) < base {
                                    Self.move(&state[m2.k], m2.from, m2.to)
                                    for li in listsOfCell[m2.k] { if cache[li] != nil { Self.move(&cache[li]!, m2.from, m2.to) } }
                                    pens = p2
                                    improved = true
                                    break search
                                }
                            }
                            Self.move(&state[m1.k], m1.to, m1.from)
                            for li in listsOfCell[m1.k] { if cache[li] != nil { Self.move(&cache[li]!, m1.to, m1.from) } }
                        }
                    }
                }
            }
            polishNarrowTargets()
            for (ti, t) in targets.enumerated() {
                results.append(TargetResult(dataset: t.ds, target: t.t, outcome: outcome(ti, state)))
                _ = ti
            }
            var m: [Int: CategoryCounts] = [:]
            for (k, g) in local.enumerated() { m[g] = state[k] }
            solved[name] = m
            if (vi + 1) % 25 == 0 || vi + 1 == order.count {
                progress("reconstruct: \(vi + 1)/\(order.count) variables solved")
            }
        }

        // Rows.
        var files: [(String, String)] = []
        for (di, ds) in spec.datasets.enumerated() {
            let myCells = allCells.indices.filter { allCells[$0].dataset == di }
            var columns: [String: [Int?]] = [:]
            var rowCell: [Int] = []
            for g in myCells { rowCell += Array(repeating: g, count: allCells[g].size) }
            for gname in ds.groupings.map(\.variable) {
                columns[gname] = rowCell.map { allCells[$0].codes[gname] }
            }
            for v in ds.variables where !groupingNames.contains(v.name) {
                var rng = SplitMix64.derived(seed: spec.seed, key: "rows/\(ds.id)/\(v.name)")
                var col: [Int?] = []
                for g in myCells {
                    guard let c = solved[v.name]?[g] else { continue }
                    var vals: [Int?] = []
                    for (i, n) in c.counts.enumerated() { vals += Array(repeating: c.minCode + i, count: n) }
                    vals += Array(repeating: nil, count: c.missing)
                    rng.shuffle(&vals)
                    col += vals
                }
                columns[v.name] = col
            }
            for t in ds.targets where t.statistic == "regression" {
                // Penalty of every target on a variable if its column in this dataset were `col`.
                let penalty: (String, [Int?]) -> Double = { name, col in
                    guard let vs = varSpecs[name] else { return 0 }
                    var counts = solved[name] ?? [:]
                    for g in myCells { counts[g] = CategoryCounts(minCode: vs.min, categories: vs.max - vs.min + 1) }
                    for (i, v) in col.enumerated() {
                        if let v { counts[rowCell[i]]!.counts[v - vs.min] += 1 } else { counts[rowCell[i]]!.missing += 1 }
                    }
                    var total = 0.0
                    for (dsID, tt) in targetsByVar[name] ?? [] {
                        _ = dsID
                        total += tt.evaluate { refs in
                            var acc: CategoryCounts?
                            for (g, c) in counts where refs.contains(where: { Self.matches(allCells[g], $0, datasetID: spec.datasets[allCells[g].dataset].id) }) {
                                if acc == nil { acc = c } else { acc!.add(c) }
                            }
                            return acc
                        }.penalty
                    }
                    return total
                }
                let r = fitRegression(t, ds: ds, rowCell: rowCell, cells: allCells, columns: &columns, penalty: penalty)
                results.append(TargetResult(dataset: ds.id, target: t, outcome: r))
            }
            files.append((ds.file, Self.csv(ds, columns: columns, groupingNames: groupingNames)))
            files.append((ds.codebook, Self.codebook(ds, spec: spec, groupingNames: groupingNames)))
            progress("reconstruct: \(ds.id): \(ds.rows) rows, \(ds.variables.count + ds.groupings.count) variables")
        }
        _ = dsIndex
        return Output(files: files, results: results)
    }

    // MARK: counts

    static func count(_ c: CategoryCounts, _ slot: Int) -> Int { slot == c.counts.count ? c.missing : c.counts[slot] }

    static func move(_ c: inout CategoryCounts, _ from: Int, _ to: Int, _ amount: Int = 1) {
        if from == c.counts.count { c.missing -= amount } else { c.counts[from] -= amount }
        if to == c.counts.count { c.missing += amount } else { c.counts[to] += amount }
    }

    /// The documented neutral default: 3 % missing; valid answers spread symmetrically around the scale midpoint
    /// (binomial weights), uniform for nominal and numeric variables, 50/50 for yes/no.
    func initialCounts(_ v: ReconstructionSpec.VariableSpec, size: Int, rng: inout SplitMix64) -> CategoryCounts {
        let k = v.max - v.min + 1
        var c = CategoryCounts(minCode: v.min, categories: k)
        c.missing = Int((Double(size) * 0.03).rounded())
        let n = size - c.missing
        var w: [Double]
        switch v.kind {
        case "likert":
            w = (0..<k).map { Self.binomial(k - 1, $0) }
        default:
            w = Array(repeating: 1, count: k)
        }
        let sw = w.reduce(0, +)
        let exact = w.map { Double(n) * $0 / sw }
        c.counts = exact.map { Int($0.rounded(.down)) }
        var rest = n - c.counts.reduce(0, +)
        let byRemainder = exact.indices.sorted { a, b in
            let fa = exact[a] - exact[a].rounded(.down), fb = exact[b] - exact[b].rounded(.down)
            return fa != fb ? fa > fb : a < b
        }
        var i = 0
        while rest > 0 { c.counts[byRemainder[i % k]] += 1; rest -= 1; i += 1 }
        return c
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        var r = 1.0
        for i in 0..<k { r = r * Double(n - i) / Double(i + 1) }
        return r
    }

    // MARK: regression (footnote 5)

    /// Meets a simple-regression target y ~ x on the complete cases of the target's groups by (1) moving x's
    /// missing answers within cells until exactly `n` rows are complete, (2) changing which answers are complete
    /// until an integer Σxy gives F inside the interval, and (3) swapping x between complete rows of the same cell
    /// until Σxy is that integer. Marginals per cell never change, so no other target is disturbed.
    func fitRegression(_ t: ReconstructionSpec.Target, ds: ReconstructionSpec.DatasetSpec, rowCell: [Int],
                       cells: [Cell], columns: inout [String: [Int?]],
                       penalty: (String, [Int?]) -> Double) -> TargetOutcome {
        guard let xName = t.predictor, var x = columns[xName], var y = columns[t.variable],
              let n = t.n, let fiv = t.fInterval, fiv.count == 2 else {
            return TargetOutcome(computed: "regression variables missing", satisfied: false, penalty: 1)
        }
        let refs = t.groups ?? []
        let inGroup = rowCell.map { g in refs.contains { Self.matches(cells[g], $0, datasetID: ds.id) } }
        var rng = SplitMix64.derived(seed: spec.seed, key: "regression/\(ds.id)/\(t.variable)~\(xName)")
        let rowsByCell = Dictionary(grouping: rowCell.indices.filter { inGroup[$0] }, by: { rowCell[$0] })
        let cellKeys = rowsByCell.keys.sorted()
        func complete(_ i: Int) -> Bool { x[i] != nil && y[i] != nil }
        var nc = rowCell.indices.filter { inGroup[$0] && complete($0) }.count
        // (1) exact number of complete cases.
        var guardSteps = 0
        while nc != n && guardSteps < 100_000 {
            guardSteps += 1
            let rows = rowsByCell[cellKeys[rng.below(cellKeys.count)]] ?? []
            guard rows.count > 1 else { continue }
            let i = rows[rng.below(rows.count)], j = rows[rng.below(rows.count)]
            guard i != j, (x[i] == nil) != (x[j] == nil) else { continue }
            let before = (complete(i) ? 1 : 0) + (complete(j) ? 1 : 0)
            x.swapAt(i, j)
            let after = (complete(i) ? 1 : 0) + (complete(j) ? 1 : 0)
            if (nc < n && after > before) || (nc > n && after < before) { nc += after - before } else { x.swapAt(i, j) }
        }
        guard nc == n else {
            columns[xName] = x
            return TargetOutcome(computed: "complete cases \(nc) ≠ \(n)", satisfied: false, penalty: 1)
        }
        // (2) marginals of the complete cases that admit an integer Σxy with F in the interval.
        func sums() -> (sx: Double, sy: Double, sxx: Double, syy: Double, sxy: Double) {
            var s = (0.0, 0.0, 0.0, 0.0, 0.0)
            for i in rowCell.indices where inGroup[i] {
                guard let a = x[i], let b = y[i] else { continue }
                let xa = Double(a), yb = Double(b)
                s.0 += xa; s.1 += yb; s.2 += xa * xa; s.3 += yb * yb; s.4 += xa * yb
            }
            return s
        }
        let nn = Double(n)
        func targetSxy() -> Double? {
            let s = sums()
            let vx = nn * s.sxx - s.sx * s.sx, vy = nn * s.syy - s.sy * s.sy
            guard vx > 0, vy > 0 else { return nil }
            let df2 = nn - 2
            let rlo = (fiv[0] / (fiv[0] + df2)).squareRoot(), rhi = (fiv[1] / (fiv[1] + df2)).squareRoot()
            let lo = (rlo * (vx * vy).squareRoot() + s.sx * s.sy) / nn
            let hi = (rhi * (vx * vy).squareRoot() + s.sx * s.sy) / nn
            let mid = ((lo + hi) / 2).rounded()
            return mid > lo && mid < hi ? mid : nil
        }
        var target = targetSxy()
        guardSteps = 0
        while target == nil && guardSteps < 400_000 {
            guardSteps += 1
            // Exchange x between a complete row and an incomplete row with valid x in the same cell.
            let rows = rowsByCell[cellKeys[rng.below(cellKeys.count)]] ?? []
            guard rows.count > 1 else { continue }
            let i = rows[rng.below(rows.count)], j = rows[rng.below(rows.count)]
            guard complete(i) else { continue }
            if !complete(j) {
                // Exchange x (or y) between a complete row and an incomplete one that has it: the cell's
                // marginals stay, the complete cases' marginals change.
                if x[j] != nil && x[i] != x[j] { x.swapAt(i, j) } else if y[j] != nil && y[i] != y[j] { y.swapAt(i, j) } else { continue }
            } else if guardSteps % 4 == 0 {
                // Too few distinct marginals: nudge one answer by ±1, kept only if every target on that
                // variable stays satisfied.
                let useX = rng.below(2) == 0
                let name = useX ? xName : t.variable
                var col = useX ? x : y
                guard let v = col[i], let vs = spec.datasets.first(where: { $0.id == ds.id })?.variables.first(where: { $0.name == name }) else { continue }
                let nv = v + (rng.below(2) == 0 ? -1 : 1)
                guard nv >= vs.min && nv <= vs.max else { continue }
                col[i] = nv
                guard penalty(name, col) == 0 else { continue }
                if useX { x = col } else { y = col }
            } else { continue }
            target = targetSxy()
        }
        guard let goal = target else {
            columns[xName] = x; columns[t.variable] = y
            return TargetOutcome(computed: "no integer Σxy reaches the F interval", satisfied: false, penalty: 1)
        }
        // (3) walk Σxy to the goal by swapping x between complete rows of one cell.
        var sxy = sums().sxy
        guardSteps = 0
        while sxy != goal && guardSteps < 2_000_000 {
            guardSteps += 1
            let rows = rowsByCell[cellKeys[rng.below(cellKeys.count)]] ?? []
            guard rows.count > 1 else { continue }
            let i = rows[rng.below(rows.count)], j = rows[rng.below(rows.count)]
            guard i != j, let xi = x[i], let xj = x[j], let yi = y[i], let yj = y[j], xi != xj else { continue }
            let delta = Double((xj - xi) * (yi - yj))
            if abs(sxy + delta - goal) < abs(sxy - goal) { x.swapAt(i, j); sxy += delta }
        }
        columns[xName] = x; columns[t.variable] = y
        let s = sums()
        let r = (nn * s.sxy - s.sx * s.sy) / ((nn * s.sxx - s.sx * s.sx) * (nn * s.syy - s.sy * s.sy)).squareRoot()
        let f = r * r * (nn - 2) / (1 - r * r)
        let ok = f >= fiv[0] && f < fiv[1] && (t.r2Interval.map { r * r >= $0[0] && r * r < $0[1] } ?? true)
        return TargetOutcome(computed: String(format: "F(1, %d) = %.4f, R² = %.4f, n = %d", n - 2, f, r * r, n),
                             satisfied: ok, penalty: ok ? 0 : 1)
    }

    // MARK: output

    static func csv(_ ds: ReconstructionSpec.DatasetSpec, columns: [String: [Int?]], groupingNames: Set<String>) -> String {
        let names = ["id"] + ds.groupings.map(\.variable) + ds.variables.map(\.name).filter { !groupingNames.contains($0) }
        var out = names.joined(separator: ",") + "\n"
        out.reserveCapacity(ds.rows * names.count * 2)
        for i in 0..<ds.rows {
            var fields = [String(i + 1)]
            for n in names.dropFirst() {
                if let v = columns[n]?[i] { fields.append(String(v)) } else { fields.append("") }
            }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    static func yamlString(_ s: String) -> String {
        var o = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\t": o += "\\t"
            default: o.unicodeScalars.append(ch)
            }
        }
        return o + "\""
    }

    /// The codebook in the data layer's format (Sources/SurveyStats/Data/CODEBOOK.md). What that format has no
    /// key for — provenance, the figures an item belongs to, the claims that constrain it or the fact that it is a
    /// neutral default — is written as comments, so `Codebook(path:)` reads the file unchanged.
    static func codebook(_ ds: ReconstructionSpec.DatasetSpec, spec: ReconstructionSpec, groupingNames: Set<String>) -> String {
        var claimsByVar: [String: [String]] = [:]
        for other in spec.datasets {
            for t in other.targets {
                let refs = (t.groups ?? []) + (t.groupsA ?? []) + (t.groupsB ?? [])
                guard other.id == ds.id || refs.contains(where: { $0.dataset == ds.id }) else { continue }
                claimsByVar[t.variable, default: []].append(t.claim)
                if let p = t.predictor { claimsByVar[p, default: []].append(t.claim) }
            }
        }
        var o = """
        # Codebook of \(ds.file) — RECONSTRUCTED SYNTHETIC RESPONDENTS, NOT AFI'S DATA.
        # Written by `surveystats reconstruct` (seed \(spec.seed)) from datasets/afi-2020/reconstruction.yaml; do not edit.
        # Rows: \(ds.rows). Composition: \(ds.compositionSource ?? "")
        # Missing: an empty cell = \(spec.missingLabel) (system missing).
        # Per item: the figures it appears in, and the published claims it was reconstructed to reproduce; items no
        # published number constrains are marked SYNTHETIC (neutral default: 3 % missing, answers symmetric around
        # the scale midpoint) and must never be shown as published numbers.
        variables:
          id:
            label: "Løpenummer (syntetisk respondent)"
            kind: id

        """
        for g in ds.groupings {
            o += "  \(g.variable):\n    label: \(yamlString(g.label))\n    kind: nominal\n    values:\n"
            for c in g.cells { o += "      \(c.code): \(yamlString(c.label))\n" }
        }
        for v in ds.variables where !groupingNames.contains(v.name) {
            let kind = v.kind == "binary" ? "nominal" : v.kind
            let claims = Array(Set(claimsByVar[v.name] ?? [])).sorted()
            if !v.figures.isEmpty { o += "  # figures: \(v.figures.map(String.init).joined(separator: ", "))\n" }
            if claims.isEmpty {
                o += "  # SYNTHETIC: no published number constrains this item (neutral default)\n"
            } else {
                o += "  # constrained by: \(claims.joined(separator: ", "))\n"
            }
            o += "  \(v.name):\n    label: \(yamlString(v.label))\n    kind: \(kind)\n"
            o += "    scale: {min: \(v.min), max: \(v.max)}\n"
            if let labels = v.labels, !labels.isEmpty {
                o += "    values:\n"
                for k in labels.keys.sorted() { o += "      \(k): \(yamlString(labels[k] ?? ""))\n" }
            }
        }
        return o
    }
}
