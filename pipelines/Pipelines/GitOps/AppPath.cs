namespace Pipelines.GitOps;

/// <summary>One app of a rollback: its name and its environment folder in the manifests repository.</summary>
/// <param name="App">The app's name, as deploy commits name it.</param>
/// <param name="Path">The environment's folder inside the manifests repository.</param>
internal sealed record AppPath(string App, string Path);
