namespace Pipelines.GitOps;

/// <summary>One app of a deploy: its name, its environment folder in the manifests repository, and the image to set there.</summary>
/// <param name="App">The app's name (the service), as deploy commits, branches and pull requests name it.</param>
/// <param name="Path">The environment's folder inside the manifests repository (<see cref="DeployRequest.DefaultPath"/>).</param>
/// <param name="Image">The image to set in <paramref name="Path"/>; its digest should be set.</param>
internal sealed record AppImage(string App, string Path, ImageUpdate Image)
{
    /// <summary><c>&lt;tag&gt;@&lt;short digest&gt;</c> (<c>untagged</c> without a tag): how subjects and titles name the version.</summary>
    public string Version => (Image.Tag ?? "untagged") + (Image.Digest is null ? "" : "@" + ManifestsRepository.ShortDigest(Image.Digest));
}
