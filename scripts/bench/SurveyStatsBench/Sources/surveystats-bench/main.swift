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
func likertAnswer(_ g: GroupedLikertCounts) -> [String: Any] {
    var n: [[Int]] = [], mean: [[Double]] = [], sd: [[Double]] = [], counts: [[[Int]]] = []
    for row in g.counts {
        n.append(row.map(\.n)); mean.append(row.map { $0.mean ?? .nan })
        sd.append(row.map { $0.standardDeviation ?? .nan }); counts.append(row.map { Array($0.byCode[1...5]) })
    }
    return ["groups": g.groups, "n": n, "mean": mean, "sd": sd, "counts": counts]
}

do {
    switch task {
    case "likert-stream":
        let t0 = now()
        let g = try GroupedLikertCounts.stream(path: file, items: items, groupBy: "region", missingCodes: [9])
        let t1 = now()
        emit(["answer": likertAnswer(g), "seconds": ["compute": t1 - t0, "total": t1 - t0]])
    case "crosstab-stream":
        let t0 = now()
        let c = try CrossTabCounts.stream(path: file, row: "region", column: "edu")
        let (x2, df) = c.pearsonChiSquared
        let t1 = now()
        emit(["answer": ["counts": c.counts, "chi2": x2, "df": df], "seconds": ["compute": t1 - t0, "total": t1 - t0]])
    case "ingest":
        let t0 = now()
        let data = try CSVReader.read(path: file)
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
        emit(["answer": likertAnswer(g), "seconds": ["ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0]])
    case "crosstab-mem":
        let t0 = now()
        let data = try CSVReader.read(path: file)
        let t1 = now()
        let c = try CrossTabCounts.count(data, row: "region", column: "edu")
        let (x2, df) = c.pearsonChiSquared
        let t2 = now()
        emit(["answer": ["counts": c.counts, "chi2": x2, "df": df],
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
