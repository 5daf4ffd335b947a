// surveystats-bench TASK FILE [options] — runs one benchmark task on one file and prints a JSON line with the
// answer (for the harness's agreement check) and in-process timings. One process per task, so that the
// harness can read each task's peak RSS from wait4().
import Foundation
import SurveyStats

let items = (1...20).map { "q\($0)" }
let args = CommandLine.arguments
guard args.count >= 3 else {
    FileHandle.standardError.write("usage: surveystats-bench likert-stream|crosstab-stream FILE\n".data(using: .utf8)!)
    exit(2)
}
let task = args[1], file = args[2]

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func emit(_ obj: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
/// Means and SDs come from the statistics core's `LikertSummary`, built from the streamed counts.
func likertAnswer(_ g: GroupedLikertCounts) throws -> [String: Any] {
    var n: [[Int]] = [], mean: [[Double]] = [], sd: [[Double]] = [], counts: [[[Int]]] = []
    for row in g.counts {
        let sums = try row.map { try $0.likertSummary(scale: [1, 2, 3, 4, 5]) }
        n.append(sums.map(\.n)); mean.append(sums.map(\.mean))
        sd.append(sums.map(\.standardDeviation)); counts.append(row.map { Array($0.byCode[1...5]) })
    }
    return ["groups": g.groups, "n": n, "mean": mean, "sd": sd, "counts": counts]
}
func crossAnswer(_ c: CrossTabCounts) throws -> [String: Any] {
    let t = try c.crossTab()
    return ["counts": c.counts, "chi2": t.chiSquare, "df": Int(t.df), "p": t.pValue(tail: .both)]
}

do {
    switch task {
    case "likert-stream":
        let t0 = now()
        let g = try GroupedLikertCounts.stream(path: file, items: items, groupBy: "region", missingCodes: [9])
        let t1 = now()
        emit(["answer": try likertAnswer(g), "seconds": ["compute": t1 - t0, "total": t1 - t0]])
    case "crosstab-stream":
        let t0 = now()
        let c = try CrossTabCounts.stream(path: file, row: "region", column: "edu")
        let answer = try crossAnswer(c)
        let t1 = now()
        emit(["answer": answer, "seconds": ["compute": t1 - t0, "total": t1 - t0]])
    case "ingest":
        // Optional third argument: the number of threads (default: all cores), to show the parallel speed-up.
        let options = CSVOptions(maxThreads: args.count > 3 ? Int(args[3]) : nil)
        let t0 = now()
        let data = try CSVReader.read(path: file, options: options)
        let t1 = now()
        guard case .numeric(let y)? = data["y"]?.values else { throw DataError.notNumeric(variable: "y") }
        var sum = 0.0
        for i in 0..<y.count { if let v = y.value(at: i) { sum += v } }
        emit(["answer": ["rows": data.rowCount, "sum_y": sum], "seconds": ["ingest": t1 - t0, "total": t1 - t0]])
    case "likert-mem":
        let t0 = now()
        let data = try CSVReader.read(path: file)
        let t1 = now()
        let g = try GroupedLikertCounts.count(data, items: items, groupBy: "region", missingCodes: [9])
        let t2 = now()
        emit(["answer": try likertAnswer(g), "seconds": ["ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0]])
    case "crosstab-mem":
        let t0 = now()
        let data = try CSVReader.read(path: file)
        let t1 = now()
        let c = try CrossTabCounts.count(data, row: "region", column: "edu")
        let answer = try crossAnswer(c)
        let t2 = now()
        emit(["answer": answer,
              "seconds": ["ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0]])
    case "ttest":
        let t0 = now()
        let data = try CSVReader.read(path: file)
        let t1 = now()
        guard case .numeric(let y)? = data["y"]?.values else { throw DataError.notNumeric(variable: "y") }
        let g = GroupCodes(try data.variable("gender"))
        let labels: [String?] = g.codes.map { $0 == 0 ? nil : g.labels[Int($0) - 1] }
        let t = try UnequalVarianceTTest(y, groups: labels, levels: ["1", "2"])
        let t2 = now()
        emit(["answer": ["t": t.t, "df": t.df, "p": t.pValue(tail: .both)],
              "seconds": ["ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0]])
    case "ols":
        let p = args.count > 3 ? Int(args[3]) ?? 10 : 10
        let hc1 = args.count > 4 && args[4] == "hc1"
        let t0 = now()
        let data = try CSVReader.read(path: file)
        let t1 = now()
        let formula = "y ~ " + (1...p).map { "x\($0)" }.joined(separator: " + ")
        let m = try LinearModel(formula: formula, data: data, robust: hc1 ? .hc1 : nil)
        let t2 = now()
        emit(["answer": ["coef": m.estimates, "se": m.standardErrors],
              "seconds": ["ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0]])
    case "ols-stream":
        let p = args.count > 3 ? Int(args[3]) ?? 10 : 10
        let hc1 = args.count > 4 && args[4] == "hc1"
        let t0 = now()
        let m = try StreamingLeastSquares.fit(path: file, response: "y", predictors: (1...p).map { "x\($0)" }, robust: hc1)
        let t1 = now()
        emit(["answer": ["coef": m.coefficients, "se": m.standardErrors],
              "seconds": ["compute": t1 - t0, "total": t1 - t0]])
    default:
        FileHandle.standardError.write("unknown task \(task)\n".data(using: .utf8)!)
        exit(2)
    }
} catch {
    FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
    exit(2)
}
