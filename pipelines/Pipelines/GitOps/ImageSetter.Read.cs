using YamlDotNet.Core;

namespace Pipelines.GitOps;

internal sealed partial class ImageSetter
{
    /// <summary>
    /// The image an environment's folder deploys today, for promotion: the first kustomization <c>images:</c>
    /// entry named <paramref name="name"/> (its <c>newName</c>, <c>newTag</c>, <c>digest</c>), or else the first
    /// workload <c>image:</c> whose repository is <paramref name="name"/>. Null when neither exists.
    /// </summary>
    public ImageUpdate? FindDeployed(string folder, string name)
    {
        if (!Directory.Exists(folder)) return null;
        ImageUpdate? fromWorkload = null;
        foreach (var path in ManifestFiles(folder))
        {
            List<YamlTextNode> documents;
            try { documents = YamlTextReader.ReadDocuments(File.ReadAllText(path)); }
            catch (YamlException) { continue; }

            var fileName = Path.GetFileName(path);
            foreach (var root in documents.OfType<YamlTextMapping>())
            {
                var kind = root.Scalar("kind")?.Value;
                var apiVersion = root.Scalar("apiVersion")?.Value ?? "";
                var images = fileName is "kustomization.yaml" or "kustomization.yml" or "Kustomization" || apiVersion.StartsWith("kustomize.config.k8s.io/")
                    ? root.Get("images") as YamlTextSequence
                    : null;
                foreach (var entry in images?.Items.OfType<YamlTextMapping>() ?? [])
                {
                    if (entry.Scalar("name")?.Value != name) continue;
                    return new ImageUpdate(name, entry.Scalar("newName")?.Value, entry.Scalar("newTag")?.Value, entry.Scalar("digest")?.Value);
                }
                if (fromWorkload is not null || PodSpec(root, kind) is not { } podSpec) continue;
                foreach (var listName in ContainerLists)
                {
                    if (podSpec.Get(listName) is not YamlTextSequence containers) continue;
                    foreach (var image in containers.Items.OfType<YamlTextMapping>().Select(c => c.Scalar("image")).OfType<YamlTextScalar>())
                    {
                        if (ImageUpdate.RepositoryOf(image.Value) != name) continue;
                        var at = image.Value.IndexOf('@');
                        var withoutDigest = at >= 0 ? image.Value[..at] : image.Value;
                        var tag = withoutDigest.Length > name.Length ? withoutDigest[(name.Length + 1)..] : null;
                        fromWorkload ??= new ImageUpdate(name, null, tag, at >= 0 ? image.Value[(at + 1)..] : null);
                    }
                }
            }
        }
        return fromWorkload;
    }
}
