using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipelines.GitOps;
using Pipelines.Logging;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Manifests;

/// <summary>
/// The overlay `images:` entry is the one place Deploy writes: with a digest written there, the rendered image is
/// <c>repo:tag@sha256:…</c>. One test writes the digest by replacing the one scalar in a temporary copy of the
/// template (the two-line diff Deploy promises); another runs Deploy's own <see cref="ImageSetter"/> on every overlay.
/// </summary>
public sealed partial class OverlayImageTests
{
    private const string Digest = "sha256:6c1975b871efb327528c84d46d38e6dd7906eecee6402bc270eeb7f1b1a506df";

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task The_overlay_has_an_images_entry_with_tag_and_digest_fields_that_matches_the_rendered_image(string overlay)
    {
        var kustomization = YamlToJson.Parse(await File.ReadAllTextAsync(Path.Combine(ManifestFolders.PathOf(overlay), "kustomization.yaml")))!;
        var image = Assert.Single(await ImagesAsync(ManifestFolders.PathOf(overlay)));

        var entry = kustomization["images"]?.AsArray().SingleOrDefault(e => (string?)e?["name"] == Repository(image));

        Assert.True(entry is not null, $"{overlay}/kustomization.yaml needs an images: entry named {Repository(image)} (the repository the base renders)");
        Assert.True(entry!.AsObject().ContainsKey("newTag") && entry.AsObject().ContainsKey("digest"), $"{overlay}: the images: entry must carry newTag and digest for Deploy to fill in");
        var digest = (string?)entry["digest"];
        Assert.Equal($"{Repository(image)}:{entry["newTag"]}{(string.IsNullOrEmpty(digest) ? "" : "@" + digest)}", image);
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task Once_a_digest_is_written_the_overlay_renders_repo_tag_at_digest(string overlay)
    {
        using var copy = new TempDirectory("manifests-digest");
        CopyDirectory(ManifestFolders.Root, copy.Path);
        var kustomizationPath = Path.Combine(copy.Path, overlay, "kustomization.yaml");
        var before = await File.ReadAllTextAsync(kustomizationPath);
        var repository = Repository(Assert.Single(await ImagesAsync(Path.Combine(copy.Path, overlay))));

        var after = WriteImage(before, "1.4.2", Digest);
        await File.WriteAllTextAsync(kustomizationPath, after);
        var images = await ImagesAsync(Path.Combine(copy.Path, overlay));

        Assert.All(images, image => Assert.Equal($"{repository}:1.4.2@{Digest}", image));
        Assert.Equal(2, before.Split('\n').Zip(after.Split('\n')).Count(pair => pair.First != pair.Second));
    }

    [RequiresKubectlTheory]
    [MemberData(nameof(ManifestFolders.Overlays), MemberType = typeof(ManifestFolders))]
    public async Task Deploys_image_setter_edits_only_the_overlays_kustomization_and_the_overlay_renders_the_pushed_image(string overlay)
    {
        // As Deploy calls it: the image name the manifests use (the repository the base renders), the pushed image's
        // name, tag and digest, on the overlay folder alone (Deploy checks out nothing else).
        using var copy = new TempDirectory("manifests-setter");
        CopyDirectory(ManifestFolders.Root, copy.Path);
        var folder = Path.Combine(copy.Path, overlay);
        var repository = Repository(Assert.Single(await ImagesAsync(folder)));
        var app = overlay.Split('/')[1];

        var result = new ImageSetter(ImageSetterOptions.Default, new MemoryLog())
            .Update(folder, new ImageUpdate(repository, $"127.0.0.1:5000/{app}", "1.4.2", Digest), overlay);
        var images = await ImagesAsync(folder);

        Assert.Equal(["kustomization.yaml"], result.ChangedFiles);
        Assert.All(images, image => Assert.Equal($"127.0.0.1:5000/{app}:1.4.2@{Digest}", image));
    }

    // Replaces the values of the images: entry's newTag and digest, and nothing else on those lines or elsewhere.
    private static string WriteImage(string kustomization, string tag, string digest)
    {
        var withTag = NewTagLine().Replace(kustomization, m => $"{m.Groups["key"].Value}\"{tag}\"", 1);
        var withDigest = DigestLine().Replace(withTag, m => $"{m.Groups["key"].Value}\"{digest}\"", 1);
        Assert.NotEqual(kustomization, withTag);
        Assert.NotEqual(withTag, withDigest);
        return withDigest;
    }

    private static async Task<List<string>> ImagesAsync(string directory)
    {
        var objects = await Kustomize.RenderAsync(directory);
        return objects
            .Select(o => o["spec"]?["template"]?["spec"])
            .Where(pod => pod is not null)
            .SelectMany(pod => (pod!["containers"]?.AsArray() ?? []).Concat(pod["initContainers"]?.AsArray() ?? []))
            .Select(container => (string)container!["image"]!)
            .ToList();
    }

    // registry/path/name[:tag][@digest] → registry/path/name (a colon before the last slash is a registry port).
    private static string Repository(string image)
    {
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
    }

    [GeneratedRegex(@"(?<key>^[ \t]+newTag:[ \t]*)""[^""\n]*""", RegexOptions.Multiline)]
    private static partial Regex NewTagLine();

    [GeneratedRegex(@"(?<key>^[ \t]+digest:[ \t]*)""[^""\n]*""", RegexOptions.Multiline)]
    private static partial Regex DigestLine();
}
