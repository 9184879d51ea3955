namespace Pipelines.GitOps;

/// <summary>
/// An app's digest a rollback expects its environment to run: the release that was judged. A rollback guarded by it
/// reverts only while the environment still runs that digest, so a retried analysis cannot revert the release before.
/// </summary>
/// <param name="App">The app, as deploy commits name it.</param>
/// <param name="Path">The environment's folder inside the manifests repository.</param>
/// <param name="ImageName">The image name the manifests use for the app.</param>
/// <param name="Digest">The digest that was judged (<c>sha256:…</c>).</param>
internal sealed record ExpectedImage(string App, string Path, string ImageName, string Digest);
