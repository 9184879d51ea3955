using System.Text;
using Pipelines.Logging;
using YamlDotNet.Core;

namespace Pipelines.GitOps;

/// <summary>
/// Updates every reference to one image inside a folder of manifests: kustomization <c>images:</c> entries,
/// workload <c>image:</c> fields, Helm values (files and HelmRelease <c>spec.values</c>) and Flux
/// <c>$imagepolicy</c> setter markers. Only the bytes of the target scalars change (keys are added only
/// where a kustomization or values entry lacks one); comments, quoting, indentation, line endings and
/// everything else stay as they were.
/// </summary>
internal sealed partial class ImageSetter(ImageSetterOptions options, ILog log)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Finds and updates the references to <paramref name="update"/> under <paramref name="folder"/> and writes
    /// the changed files. Throws a <see cref="PipelineException"/> (and writes nothing) when no reference is found.
    /// </summary>
    /// <param name="folder">The folder to search (recursively).</param>
    /// <param name="update">The image to set.</param>
    /// <param name="displayName">How messages name the folder (e.g. its path inside the manifests repository).</param>
    public ImageSetterResult Update(string folder, ImageUpdate update, string? displayName = null)
    {
        var (result, texts) = Compute(folder, update, displayName ?? folder);
        foreach (var (path, bytes) in texts)
        {
            // Write beside, then move: a crash never leaves a half-written manifest.
            var temporary = path + ".setter-tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        foreach (var change in result.Changes)
            log.Info($"{change.File}:{change.Line} {change.Field}: {change.OldValue ?? "(added)"} → {change.NewValue ?? "(removed)"}");
        return result;
    }

    /// <summary>Like <see cref="Update"/> but writes nothing: what would change.</summary>
    public ImageSetterResult Preview(string folder, ImageUpdate update, string? displayName = null) =>
        Compute(folder, update, displayName ?? folder).Result;

    private (ImageSetterResult Result, List<(string Path, byte[] Bytes)> Texts) Compute(string folder, ImageUpdate update, string displayName)
    {
        if (!Directory.Exists(folder))
            throw new PipelineException($"The manifests folder `{displayName}` does not exist; check --manifests-path.");

        var references = new List<SetterChange>();
        var changes = new List<SetterChange>();
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var searched = new List<string>();
        var output = new List<(string, byte[])>();
        var files = ReadManifests(folder, displayName);
        var editors = files.Select(f => new YamlTextEditor(f.Text, f.Relative)).ToList();
        // Flux's setter changes marked fields only: once a field is marked for this image's policy, the folder is
        // managed through markers, and an unmarked reference to the same image is left as it is. A marker in a comment
        // line marks nothing (Flux ignores it too), so only markers attached to a value count.
        var markersOnly = files.Zip(editors).Any(f => f.First.Documents.Any(d => OurMarkers(f.Second, d)));
        if (markersOnly)
            log.Info($"`{displayName}` marks this image with $imagepolicy markers ({string.Join(", ", options.ImagePolicies)}): only marked fields (and their tag/digest partners) change, as Flux's setter does.");
        foreach (var ((path, relative, bom, _, documents), editor) in files.Zip(editors))
        {
            searched.Add(relative);
            var file = new FileScan(relative, Path.GetFileName(path), editor, update, references, changes, seen, markersOnly, []);
            foreach (var document in documents) Scan(file, document);
            if (file.Editor.HasEdits)
            {
                var edited = Utf8.GetBytes(file.Editor.Apply());
                output.Add((path, bom ? [.. Encoding.UTF8.Preamble, .. edited] : edited));
            }
        }

        if (references.Count == 0)
        {
            var names = update.NewName is null || update.NewName == update.Name ? $"`{update.Name}`" : $"`{update.Name}` or `{update.NewName}`";
            var policies = options.ImagePolicies.Count == 0 ? "" : $" or a $imagepolicy marker for {string.Join(", ", options.ImagePolicies)}";
            throw new PipelineException(
                $"No reference to the image {names}{policies} was found under `{displayName}`. " +
                $"Files searched: {(searched.Count == 0 ? "none (no .yaml/.yml files)" : string.Join(", ", searched))}. " +
                $"Image names seen: {(seen.Count == 0 ? "none" : string.Join(", ", seen))}. " +
                "Fix: point --manifests-path at the environment's folder, or add the image to its kustomization.yaml `images:` (name: " + update.Name + ").");
        }

        RefuseUnwrittenDigest(update, references, displayName);
        var changedFiles = changes.Select(c => c.File).Distinct().ToList();
        return (new ImageSetterResult(references, changes, changedFiles), output);
    }

    /// <summary>Reads and parses every manifest first, so a syntax error anywhere stops the update before any edit.</summary>
    private List<(string Path, string Relative, bool Bom, string Text, List<YamlTextNode> Documents)> ReadManifests(string folder, string displayName)
    {
        var files = new List<(string, string, bool, string, List<YamlTextNode>)>();
        var paths = ManifestFiles(folder, out var dangling);
        foreach (var path in paths)
        {
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            var bytes = File.ReadAllBytes(path);
            var bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble);
            string? text = null;
            try
            {
                text = Utf8.GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0));
                files.Add((path, relative, bom, text, YamlTextReader.ReadDocuments(text)));
            }
            catch (Exception e) when (e is YamlException or DecoderFallbackException or InvalidOperationException)
            {
                // kustomize could not build this folder either: refuse, naming the place, rather than skip a file that may hold the image.
                throw new PipelineException(ManifestsSyntax.Describe(displayName, relative, e, text));
            }
        }
        foreach (var link in dangling)
            log.Info($"Skipped `{displayName}/{Path.GetRelativePath(folder, link).Replace('\\', '/')}`: a symbolic link to a file that does not exist (Flux's setter skips it too).");
        return files;
    }

    /// <summary>
    /// The YAML files Flux's setter would read too: <c>.yaml</c>/<c>.yml</c> and <c>Kustomization</c>, outside hidden
    /// folders. A symbolic link whose target is missing is left out (and named in <paramref name="dangling"/>): kustomize
    /// never reads it, and Flux's setter skips it.
    /// </summary>
    private static List<string> ManifestFiles(string folder, out List<string> dangling)
    {
        var candidates = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetExtension(p) is ".yaml" or ".yml" || Path.GetFileName(p) == "Kustomization")
            .Where(p => !Path.GetRelativePath(folder, p).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
        dangling = candidates.Where(p => !Resolves(p)).ToList();
        return candidates.Where(Resolves).ToList();
    }

    /// <summary>False for a symbolic link whose target is missing or loops (<see cref="File.Exists"/> is true for both).</summary>
    private static bool Resolves(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null) return true;
        try { return info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true }; }
        catch (IOException) { return false; }
    }

    internal static List<string> ManifestFiles(string folder) => ManifestFiles(folder, out _);

    /// <summary>
    /// Deploy reports <c>repository:tag@digest</c> as deployed: refuse when no field it set carries the digest (a Flux
    /// marker that sets only a tag, say), rather than claim a digest the manifests do not hold.
    /// </summary>
    private static void RefuseUnwrittenDigest(ImageUpdate update, List<SetterChange> references, string displayName)
    {
        if (update.Digest is null || references.Any(r => r.NewValue?.Contains(update.Digest, StringComparison.Ordinal) == true)) return;
        var set = string.Join(", ", references.Select(r => $"{r.File}:{r.Line} {r.Field}"));
        throw new PipelineException(
            $"Under `{displayName}` the image's fields ({set}) take a tag or a name but none takes the digest {update.Digest}, so the environment would not run the signed image Deploy reports. " +
            "Mark a digest field too (`digest: … # {\"$imagepolicy\": \"<namespace>:<policy>:digest\"}`), mark the whole reference, or put the image in the kustomization's `images:`; nothing was changed.");
    }

    /// <summary>Everything one file's scan needs, and where it reports what it found.</summary>
    private sealed record FileScan(
        string Relative,
        string FileName,
        YamlTextEditor Editor,
        ImageUpdate Update,
        List<SetterChange> References,
        List<SetterChange> Changes,
        SortedSet<string> Seen,
        bool MarkersOnly,
        HashSet<YamlTextMapping> Marked);
}
