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
            log.Info($"{change.File}:{change.Line} {change.Field}: {change.OldValue ?? "(added)"} → {change.NewValue}");
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
        foreach (var path in ManifestFiles(folder))
        {
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            searched.Add(relative);
            var bytes = File.ReadAllBytes(path);
            var bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble);
            string? text = null;
            List<YamlTextNode> documents;
            try
            {
                text = Utf8.GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0));
                documents = YamlTextReader.ReadDocuments(text);
            }
            catch (Exception e) when (e is YamlException or DecoderFallbackException or InvalidOperationException)
            {
                // kustomize could not build this folder either: refuse, naming the place, rather than skip a file that may hold the image.
                throw new PipelineException(ManifestsSyntax.Describe(displayName, relative, e, text));
            }

            var file = new FileScan(relative, Path.GetFileName(path), new YamlTextEditor(text, relative), update, references, changes, seen);
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

        var changedFiles = changes.Select(c => c.File).Distinct().ToList();
        return (new ImageSetterResult(references, changes, changedFiles), output);
    }

    /// <summary>The YAML files Flux's setter would read too (<see cref="ManifestsSyntax.Files"/>).</summary>
    private static IEnumerable<string> ManifestFiles(string folder) => ManifestsSyntax.Files(folder);

    /// <summary>Everything one file's scan needs, and where it reports what it found.</summary>
    private sealed record FileScan(
        string Relative,
        string FileName,
        YamlTextEditor Editor,
        ImageUpdate Update,
        List<SetterChange> References,
        List<SetterChange> Changes,
        SortedSet<string> Seen);
}
