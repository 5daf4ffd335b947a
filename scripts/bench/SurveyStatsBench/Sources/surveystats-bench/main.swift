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
        emit(["answer": likertAnswer(g), "seconds": ["total": t1 - t0]])
    case "crosstab-stream":
        let t0 = now()
        let c = try CrossTabCounts.stream(path: file, row: "region", column: "edu")
        let (x2, df) = c.pearsonChiSquared
        let t1 = now()
        emit(["answer": ["counts": c.counts, "chi2": x2, "df": df], "seconds": ["total": t1 - t0]])
    default:
        FileHandle.standardError.write("unknown task \(task)\n".data(using: .utf8)!)
        exit(2)
    }
} catch {
    FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
    exit(2)
}
