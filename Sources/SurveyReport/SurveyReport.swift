// SurveyReport: the AFI report as data — published claims, the consistency audit, figure specs,
// reconstructed microdata and verification. Builds on SurveyStats; never imported by it.
@_exported import SurveyStats
