import ArgumentParser
import SurveyReport

@main
struct SurveyStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "surveystats",
        abstract: "Survey statistics that reproduce AFI-rapport 2020:09 «Nav i en ny tid?».",
        discussion: """
        Exit codes: 0 success; 1 verification failed (verify); 2 bad input or usage (unknown file, \
        column or option, malformed data).
        """,
        version: "0.1.0",
        subcommands: [
            DescribeCommand.self, LikertCommand.self, CrosstabCommand.self, TTestCommand.self, ANOVACommand.self, PropTestCommand.self,
            RegressCommand.self,
            ConvertCommand.self, CodebookCommand.self, CheckCommand.self,
            ReconstructCommand.self, VerifyCommand.self, FigureCommand.self, TableCommand.self, ReportCommand.self,
        ]
    )
}
