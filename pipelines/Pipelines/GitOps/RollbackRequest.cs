namespace Pipelines.GitOps;

/// <summary>Undo the last deploy of an app to an environment.</summary>
/// <param name="Environment">The environment to roll back.</param>
/// <param name="App">The app, as named in deploy commits.</param>
/// <param name="Path">The environment's folder inside the repository.</param>
/// <param name="PipelineRun">The URL or id of the pipeline run (a trailer), if known.</param>
public sealed record RollbackRequest(string Environment, string App, string Path, string? PipelineRun = null);
