using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Pipelines.GitOps;

internal sealed partial class ImageSetter
{
    private static readonly string[] ContainerLists = ["initContainers", "containers", "ephemeralContainers"];

    private void Scan(FileScan file, YamlTextNode document)
    {
        // Markers first: a value marked for a Flux policy belongs to that policy, ours or not.
        var foreign = new HashSet<int>();
        SetMarkedValues(file, document, foreign);
        if (document is not YamlTextMapping root) return;

        var kind = root.Scalar("kind")?.Value;
        var apiVersion = root.Scalar("apiVersion")?.Value ?? "";
        if (file.FileName is "kustomization.yaml" or "kustomization.yml" or "Kustomization" || apiVersion.StartsWith("kustomize.config.k8s.io/"))
            SetKustomizeImages(file, root.Get("images"), "images", foreign);
        if (kind == "Kustomization" && apiVersion.StartsWith("kustomize.toolkit.fluxcd.io/"))
            SetKustomizeImages(file, root.Path("spec")?.Get("images"), "spec.images", foreign);

        if (kind == "HelmRelease" && root.Path("spec.values") is { } values)
            SetHelmValues(file, values, "spec.values.", foreign);
        else if (kind is null && IsValuesFile(file.FileName))
            SetHelmValues(file, root, "", foreign);

        // With markers in play, only marked fields change: unmarked workload images and anchors are left alone.
        if (file.MarkersOnly) return;
        if (PodSpec(root, kind) is { } podSpec) SetContainerImages(file, podSpec, foreign);
        RefuseStaleAnchors(file, document, foreign);
    }

    /// <summary>
    /// True when a value of the document carries a <c>$imagepolicy</c> marker of one of this image's policies on the rest
    /// of its line, as <see cref="SetMarkedValues"/> reads them; a marker in a comment line of its own is attached to nothing.
    /// </summary>
    private bool OurMarkers(YamlTextEditor editor, YamlTextNode document) =>
        options.ImagePolicies.Count > 0 &&
        Nodes(document).OfType<YamlTextScalar>().Any(s =>
            Marker().Match(editor.RestOfLine(s)) is { Success: true } m && options.ImagePolicies.Contains(PolicyOf(m.Groups[1].Value)));

    /// <summary>The policy of a setter: <c>ns:name</c> of <c>ns:name[:tag|:name|:digest]</c>.</summary>
    private static string PolicyOf(string setter) => string.Join(':', setter.Split(':').Take(2));

    /// <summary>
    /// An image inside a YAML anchor reaches its users through aliases and merge keys (<c>&lt;&lt;: *common</c>), which
    /// the rules above never follow: refuse, naming the anchor and its line, rather than report success while a
    /// reference to the image stays old.
    /// </summary>
    private static void RefuseStaleAnchors(FileScan file, YamlTextNode document, HashSet<int> foreign)
    {
        if (!Nodes(document).OfType<YamlTextAlias>().Any()) return;
        foreach (var scalar in Nodes(document).OfType<YamlTextScalar>())
        {
            if (file.Editor.IsEdited(scalar) || foreign.Contains(scalar.Start) || scalar.Value.IndexOfAny([':', '@']) < 0) continue;
            if (!file.Update.Matches(ImageUpdate.RepositoryOf(scalar.Value.Split('@')[0])) || NewReference(scalar.Value, file.Update) == scalar.Value) continue;
            var anchor = AnchorPattern().Matches(file.Editor.Text[..scalar.Start]).LastOrDefault();
            var named = anchor is null ? "a YAML anchor" : $"the YAML anchor `&{anchor.Groups[1].Value}` (line {file.Editor.LineOf(anchor.Index)})";
            throw new PipelineException(
                $"{file.Relative}:{file.Editor.LineOf(scalar.Start)} holds the image `{scalar.Value}` inside {named}, which reaches its users through an alias or merge key " +
                $"(`<<: *{anchor?.Groups[1].Value ?? "name"}`) that Deploy does not edit; it would stay old. Write the image where it is used instead of in the anchor; nothing was changed.");
        }
    }

    private static IEnumerable<YamlTextNode> Nodes(YamlTextNode node) => node switch
    {
        YamlTextMapping mapping => [mapping, .. mapping.Entries.SelectMany(e => Nodes(e.Value))],
        YamlTextSequence sequence => [sequence, .. sequence.Items.SelectMany(Nodes)],
        _ => [node],
    };

    [GeneratedRegex(@"&([^\s,\[\]{}]+)")]
    private static partial Regex AnchorPattern();

    private static YamlTextMapping? PodSpec(YamlTextMapping root, string? kind) => kind switch
    {
        "Pod" => root.Path("spec"),
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => root.Path("spec.template.spec"),
        "CronJob" => root.Path("spec.jobTemplate.spec.template.spec"),
        "PodTemplate" => root.Path("template.spec"),
        _ => null,
    };

    private static bool IsValuesFile(string name) =>
        name.StartsWith("values", StringComparison.OrdinalIgnoreCase) ||
        name.EndsWith("values.yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith("values.yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>images:</c> entries of a kustomization (or a Flux Kustomization's <c>spec.images</c>), matched by <c>name</c>
    /// (with markers in play: the entries holding a marked field). As <c>kustomize edit set image</c> does, a tag
    /// without a digest drops the old digest and a digest without a tag drops the old tag: kustomize would render
    /// <c>name:oldtag@digest</c>, or keep pinning the old digest under a new tag.
    /// </summary>
    private static void SetKustomizeImages(FileScan file, YamlTextNode? images, string prefix, HashSet<int> foreign)
    {
        if (images is not YamlTextSequence list) return;
        foreach (var entry in list.Items.OfType<YamlTextMapping>())
        {
            if (entry.Scalar("name") is not { } name) continue;
            file.Seen.Add(name.Value);
            if (file.MarkersOnly ? !file.Marked.Contains(entry) : !file.Update.Matches(name.Value)) continue;
            var label = $"{prefix}[{name.Value}]";
            var update = file.Update;
            if (!file.MarkersOnly && update.NewName is not null && (entry.Get("newName") is not null || update.NewName != name.Value))
                SetOrAdd(file, entry, "newName", update.NewName, label, name, foreign);
            // A part a marker holds (any policy's) is the marker's: no unmarked partner is added or removed beside it.
            var marked = MarkedParts(file, entry);
            if (update.Tag is not null && !marked.Contains("tag")) SetOrAdd(file, entry, "newTag", update.Tag, label, name, foreign);
            if (update.Digest is not null && !marked.Contains("digest")) SetOrAdd(file, entry, "digest", update.Digest, label, name, foreign);
            if (update.Tag is null && update.Digest is not null && !marked.Contains("tag")) RemoveStale(file, entry, "newTag", label, foreign);
            if (update.Digest is null && update.Tag is not null && !marked.Contains("digest")) RemoveStale(file, entry, "digest", label, foreign);
        }
    }

    /// <summary>The parts (<c>name</c>, <c>tag</c>, <c>digest</c>) that some <c>$imagepolicy</c> marker sets in this mapping.</summary>
    private static HashSet<string> MarkedParts(FileScan file, YamlTextMapping mapping) =>
        mapping.Entries.Select(e => e.Value).OfType<YamlTextScalar>()
            .Select(v => Marker().Match(file.Editor.RestOfLine(v)))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Split(':') is { Length: >= 3 } parts ? parts[2] : "reference")
            .ToHashSet(StringComparer.Ordinal);

    private static void RemoveStale(FileScan file, YamlTextMapping entry, string key, string label, HashSet<int> foreign)
    {
        if (entry.Get(key) is not YamlTextScalar scalar || foreign.Contains(scalar.Start)) return;
        var field = $"{label}.{key}";
        var line = file.Editor.Remove(entry, key, field);
        var change = new SetterChange(file.Relative, line, field, scalar.Value, null);
        file.References.Add(change);
        file.Changes.Add(change);
    }

    /// <summary><c>image:</c> of every container, init container and ephemeral container of a pod spec.</summary>
    private static void SetContainerImages(FileScan file, YamlTextMapping podSpec, HashSet<int> foreign)
    {
        foreach (var listName in ContainerLists)
        {
            if (podSpec.Get(listName) is not YamlTextSequence containers) continue;
            foreach (var container in containers.Items.OfType<YamlTextMapping>())
            {
                if (container.Scalar("image") is not { } image) continue;
                var repository = ImageUpdate.RepositoryOf(image.Value);
                file.Seen.Add(repository);
                if (!file.Update.Matches(repository) || foreign.Contains(image.Start)) continue;
                var label = $"{listName}[{container.Scalar("name")?.Value ?? "?"}].image";
                Set(file, image, NewReference(image.Value, file.Update), label);
            }
        }
    }

    /// <summary>
    /// Mappings with <c>repository</c>/<c>tag</c>/<c>digest</c> at the configured paths; with a <c>registry</c> key
    /// too (Bitnami-style charts) the image is <c>registry/repository</c>.
    /// </summary>
    private void SetHelmValues(FileScan file, YamlTextMapping values, string prefix, HashSet<int> foreign)
    {
        foreach (var path in options.HelmValuesPaths)
        {
            if (values.Path(path) is not { } image) continue;
            if (file.MarkersOnly)
            {
                // A marked mapping (only a `tag:` marker, say) gets its partner fields, so it names one version.
                if (!file.Marked.Contains(image)) continue;
                var anchor = image.Scalar("tag") ?? image.Scalar("repository") ?? image.Entries[0].Key as YamlTextScalar;
                var markedParts = MarkedParts(file, image);
                RefuseHalfUpdate(file, image, prefix + path, foreign);
                if (file.Update.Tag is not null && anchor is not null && !markedParts.Contains("tag")) SetOrAdd(file, image, "tag", file.Update.Tag, prefix + path, anchor, foreign);
                if (file.Update.Digest is not null && anchor is not null && !markedParts.Contains("digest")) SetOrAdd(file, image, "digest", file.Update.Digest, prefix + path, anchor, foreign);
                continue;
            }
            if (image.Scalar("repository") is not { } repository) continue;
            var registry = image.Scalar("registry");
            var name = registry is { Value.Length: > 0 } ? registry.Value + "/" + repository.Value : repository.Value;
            file.Seen.Add(name);
            if (!file.Update.Matches(name)) continue;
            var label = prefix + path;
            var update = file.Update;
            if (update.NewName is not null && update.NewName != name)
            {
                if (registry is null)
                    SetUnlessForeign(file, repository, update.NewName, label + ".repository", foreign);
                else
                {
                    var slash = update.NewName.IndexOf('/');
                    var (newRegistry, newRepository) = slash > 0 && update.NewName[..slash].IndexOfAny(['.', ':']) >= 0 || update.NewName.StartsWith("localhost/")
                        ? (update.NewName[..slash], update.NewName[(slash + 1)..])
                        : ("docker.io", update.NewName);
                    SetUnlessForeign(file, registry, newRegistry, label + ".registry", foreign);
                    SetUnlessForeign(file, repository, newRepository, label + ".repository", foreign);
                }
            }
            RefuseHalfUpdate(file, image, label, foreign);
            if (update.Tag is not null) SetOrAdd(file, image, "tag", update.Tag, label, repository, foreign);
            if (update.Digest is not null) SetOrAdd(file, image, "digest", update.Digest, label, repository, foreign);
        }
    }

    /// <summary>
    /// A tag (or digest) held by another Flux policy's marker would stay while its partner changes, so the file would
    /// name one version and pin another: refuse, naming the marker and the fix, instead of setting half the image.
    /// </summary>
    private static void RefuseHalfUpdate(FileScan file, YamlTextMapping image, string label, HashSet<int> foreign)
    {
        var tag = image.Get("tag") as YamlTextScalar;
        var digest = image.Get("digest") as YamlTextScalar;
        bool Foreign(YamlTextScalar? scalar) => scalar is not null && foreign.Contains(scalar.Start);
        var (held, other) = Foreign(tag) && !Foreign(digest) && file.Update.Digest is not null ? (tag, "digest")
            : Foreign(digest) && !Foreign(tag) && file.Update.Tag is not null ? (digest, "tag")
            : (null, null);
        if (held is null) return;
        var marker = Marker().Match(file.Editor.RestOfLine(held)).Groups[1].Value;
        var policy = string.Join(':', marker.Split(':').Take(2));
        throw new PipelineException(
            $"{file.Relative}:{file.Editor.LineOf(held.Start)} ({label}.{(other == "digest" ? "tag" : "digest")}) carries the Flux setter marker `{marker}` of a policy Deploy does not set, " +
            $"while {label}.{other} would change: the file would name one version and pin another. Pass --image-policies {policy} so both are set together, or remove the marker.");
    }

    private static void SetUnlessForeign(FileScan file, YamlTextScalar scalar, string value, string field, HashSet<int> foreign)
    {
        if (!foreign.Contains(scalar.Start)) Set(file, scalar, value, field);
    }

    /// <summary>The reference with the update's parts; a part the update leaves out keeps its current value.</summary>
    private static string NewReference(string current, ImageUpdate update)
    {
        var at = current.IndexOf('@');
        var digest = at >= 0 ? current[(at + 1)..] : null;
        var withoutDigest = at >= 0 ? current[..at] : current;
        var repository = ImageUpdate.RepositoryOf(withoutDigest);
        var tag = withoutDigest.Length > repository.Length ? withoutDigest[(repository.Length + 1)..] : null;
        // A new tag without a digest must not keep the old digest: the digest would win and pin the old image.
        var newDigest = update.Digest ?? (update.Tag is null ? digest : null);
        var newTag = update.Tag ?? tag;
        return update.Repository + (newTag is null ? "" : ":" + newTag) + (newDigest is null ? "" : "@" + newDigest);
    }

    private static void SetOrAdd(FileScan file, YamlTextMapping mapping, string key, string value, string label, YamlTextScalar styleFrom, HashSet<int> foreign)
    {
        var field = $"{label}.{key}";
        switch (mapping.Get(key))
        {
            case YamlTextScalar scalar when foreign.Contains(scalar.Start):
                return;
            case YamlTextScalar scalar:
                Set(file, scalar, value, field);
                return;
            case null:
                var style = styleFrom.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? styleFrom.Style : ScalarStyle.Plain;
                var line = file.Editor.Insert(mapping, key, value, style, field);
                var change = new SetterChange(file.Relative, line, field, null, value);
                file.References.Add(change);
                file.Changes.Add(change);
                return;
            default:
                throw new PipelineException($"{file.Relative}:{file.Editor.LineOf(mapping.Start)} ({field}) is not a plain value (an alias or a nested block); make it `{key}: <value>` so it can be set.");
        }
    }

    private static void Set(FileScan file, YamlTextScalar scalar, string value, string field)
    {
        // A value already set through its marker is not set twice.
        if (file.Editor.IsEdited(scalar)) return;
        var change = new SetterChange(file.Relative, file.Editor.LineOf(scalar.Start), field, scalar.Value, value);
        file.References.Add(change);
        if (file.Editor.Replace(scalar, value, field)) file.Changes.Add(change);
    }

    /// <summary>Values with a Flux setter marker: <c># {"$imagepolicy": "ns:name[:tag|:name|:digest]"}</c>.</summary>
    private void SetMarkedValues(FileScan file, YamlTextNode node, HashSet<int> foreign)
    {
        switch (node)
        {
            case YamlTextMapping mapping:
                foreach (var (_, child) in mapping.Entries)
                {
                    SetMarkedValues(file, child, foreign);
                    if (child is YamlTextScalar scalar && !foreign.Contains(scalar.Start) && Marker().IsMatch(file.Editor.RestOfLine(scalar)))
                        file.Marked.Add(mapping);
                }
                break;
            case YamlTextSequence sequence:
                foreach (var item in sequence.Items) SetMarkedValues(file, item, foreign);
                break;
            case YamlTextScalar scalar:
                if (Marker().Match(file.Editor.RestOfLine(scalar)) is not { Success: true } match) break;
                var setter = match.Groups[1].Value;
                var parts = setter.Split(':');
                var policy = PolicyOf(setter);
                var part = parts.Length >= 3 ? parts[2] : null;
                file.Seen.Add("$imagepolicy " + policy);
                if (!options.ImagePolicies.Contains(policy))
                {
                    foreign.Add(scalar.Start);
                    break;
                }
                var update = file.Update;
                var value = part switch
                {
                    null => NewReference(scalar.Value, update),
                    "name" => update.Repository,
                    "tag" => update.Tag,
                    "digest" => update.Digest,
                    _ => throw new PipelineException($"{file.Relative}:{file.Editor.LineOf(scalar.Start)} has the setter `{setter}`; Flux knows only `:name`, `:tag` and `:digest` after the policy."),
                };
                if (value is not null) Set(file, scalar, value, "$imagepolicy " + setter);
                break;
        }
    }

    [GeneratedRegex("""^\s*#\s*\{\s*"\$imagepolicy"\s*:\s*"([^"]+)"\s*\}""")]
    private static partial Regex Marker();
}
