// SurveyStats: numerics, survey data and statistics. See README.md in this folder.
@_exported import Matrix
