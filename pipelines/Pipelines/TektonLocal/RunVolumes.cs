using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Pipelines.Docker;

namespace Pipelines.TektonLocal;

/// <summary>
/// The Docker volumes behind a run's workspaces and Task volumes, as Kubernetes would provide them (workspaces.md):
/// emptyDir and volumeClaimTemplate a fresh volume, a persistentVolumeClaim one volume per claim shared by every
/// binding of it, configMap/secret/projected a read-only volume holding one file per key, subPath a bind of a
/// sub-folder (created when missing, as the kubelet does). Every volume carries the run's label, so the run's cleanup
/// removes it.
/// </summary>
internal sealed class RunVolumes
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _shared = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _readOnly = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _claims = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Why a workspace volume cannot be mounted (its ConfigMap or Secret is missing), or null.</summary>
    public string? ConfigError(string volume) => _errors.GetValueOrDefault(volume);

    /// <summary>True for a volume Kubernetes always mounts read-only (configMap, secret, projected).</summary>
    public bool IsReadOnly(string volume) => _readOnly.ContainsKey(volume);

    /// <summary>
    /// The claim name <c>$(workspaces.&lt;w&gt;.claim)</c> gives for a volume a binding made: the persistentVolumeClaim's
    /// claimName, the generated name of a volumeClaimTemplate's claim, "" for any other volume (variables.md).
    /// </summary>
    public string ClaimOf(string volume) => _claims.GetValueOrDefault(volume, "");

    /// <summary>
    /// The volume a PipelineRun/TaskRun workspace binding names (<paramref name="volumeName"/> when it makes one), with the
    /// binding's subPath applied. <paramref name="ownerUid"/> is the run's uid, which names a volumeClaimTemplate's claim.
    /// </summary>
    public async Task<string> ForBindingAsync(PodSettings settings, string volumeName, object? binding, string ownerUid, CancellationToken cancellationToken)
    {
        var name = Yaml.String(binding, "name") ?? volumeName;
        var volume = await BindingVolumeAsync(settings, volumeName, binding, name, cancellationToken);
        var claim = Yaml.Has(binding, "persistentVolumeClaim") ? Yaml.String(Yaml.Map(binding, "persistentVolumeClaim"), "claimName") ?? ""
            : Yaml.Has(binding, "volumeClaimTemplate") ? TemplateClaimName(Yaml.String(Yaml.Map(Yaml.Map(binding, "volumeClaimTemplate"), "metadata"), "name"), name, ownerUid)
            : "";
        var bound = Yaml.String(binding, "subPath") is { Length: > 0 } subPath ? await SubPathAsync(settings, volume, subPath, cancellationToken) : volume;
        if (claim.Length > 0) _claims[volume] = _claims[bound] = claim;
        return bound;
    }

    /// <summary>
    /// The claim Tekton creates for a volumeClaimTemplate (volumeclaim/pvchandler.go GeneratePVCNameFromWorkspaceBinding):
    /// the template's name or "pvc", a dash, the first 10 hex digits of sha256(binding name + owner uid).
    /// </summary>
    internal static string TemplateClaimName(string? templateName, string binding, string ownerUid) =>
        $"{(string.IsNullOrEmpty(templateName) ? "pvc" : templateName)}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(binding + ownerUid)))[..10]}";

    private async Task<string> BindingVolumeAsync(PodSettings settings, string volumeName, object? binding, string name, CancellationToken cancellationToken)
    {
        string volume;
        if (Yaml.Has(binding, "persistentVolumeClaim"))
        {
            var claim = Yaml.String(Yaml.Map(binding, "persistentVolumeClaim"), "claimName") ?? "";
            if (!settings.Rendered.OfKind("PersistentVolumeClaim").Any(c => RenderedTekton.NameOf(c) == claim))
                throw new PipelineException($"Workspace {name} binds persistentVolumeClaim {claim}, which is neither in the run file nor in --tekton-resources (the pod would stay Pending): add the PersistentVolumeClaim object, or bind emptyDir/volumeClaimTemplate.");
            volume = await Shared($"pvc/{claim}", () => settings.Engine.CreateVolumeAsync($"{settings.Run}-pvc-{claim}", settings.RunLabels, cancellationToken));
            if (Yaml.String(Yaml.Map(binding, "persistentVolumeClaim"), "readOnly") is "true" or "True") _readOnly[volume] = true;
        }
        else if (Yaml.Has(binding, "configMap") || Yaml.Has(binding, "secret") || Yaml.Has(binding, "projected"))
        {
            try
            {
                volume = await ConfigAsync(settings, volumeName, binding, cancellationToken);
            }
            catch (ContainerConfigException e)
            {
                // Only the pods that mount it fail (CreateContainerConfigError), as on a cluster: TaskPod asks ConfigError.
                volume = await settings.Engine.CreateVolumeAsync(volumeName, settings.RunLabels, cancellationToken);
                _errors[volume] = e.Message;
            }
        }
        else
        {
            volume = await settings.Engine.CreateVolumeAsync(volumeName, settings.RunLabels, cancellationToken);
            // The kubelet makes an emptyDir 0777 (pkg/volume/emptydir), so a step of any uid writes the workspace.
            if (Yaml.Has(binding, "emptyDir") && await RunHelperAsync(settings, volume, ["/bin/sh", "-c", "chmod 0777 /data"], cancellationToken) is { Exit: not 0 } failed)
                throw new PipelineException($"Making the emptyDir {volumeName} world-writable failed: {failed.Logs.StandardError.Trim()}; run with --verbose and check the runner image {settings.Runner.Image}.");
        }
        return volume;
    }

    /// <summary>
    /// A bind volume of <paramref name="subPath"/> inside <paramref name="volume"/>, created once per pair. The path is
    /// the user's text and the volume may hold symlinks an earlier step made, so it never reaches a shell as code and
    /// the bind is of the folder's real path inside the volume (CVE-2017-1002101: a subPath symlink followed on the host).
    /// </summary>
    public Task<string> SubPathAsync(PodSettings settings, string volume, string subPath, CancellationToken cancellationToken)
    {
        // Kubernetes refuses these when the pod is created (pkg/apis/core/validation: validateLocalDescendingPath, a
        // volumeMount's subPath "must be a relative path" and "must not contain '..'"); Tekton's subPath becomes one.
        if (subPath.StartsWith('/'))
            throw new ContainerConfigException($"subPath \"{subPath}\" must be a relative path inside the workspace: drop the leading '/'");
        if (subPath.Split('/').Any(p => p == ".."))
            throw new ContainerConfigException($"subPath \"{subPath}\" must not contain '..': name a folder inside the workspace");
        var clean = string.Join('/', subPath.Split('/').Where(p => p is not ("" or ".")));
        if (clean.Length == 0) return Task.FromResult(volume);
        return Shared($"sub/{volume}/{clean}", async () =>
        {
            var real = await ResolveSubPathAsync(settings, volume, subPath, clean, cancellationToken);
            if (real.Length == 0) return volume;
            var root = await settings.Engine.VolumeMountpointAsync(volume, cancellationToken);
            var bind = await settings.Engine.CreateBindVolumeAsync($"{settings.Run}-sub{Interlocked.Increment(ref _count)}", $"{root}/{real}", settings.RunLabels, cancellationToken);
            if (IsReadOnly(volume)) _readOnly[bind] = true;
            return bind;
        });
    }

    // Walks the subPath one folder at a time from the volume's root in a short root container, creating a missing one
    // (as the kubelet does) and refusing one whose real path (symlinks resolved, `cd -P`) leaves the volume, before
    // anything is created through it. The path is the script's argument, never part of its text. Prints the real path.
    private const string WalkSubPath = """
        set -euf
        cd /data
        IFS=/
        for part in $1; do
          [ -z "$part" ] && continue
          if [ ! -e "$part" ] && [ ! -L "$part" ]; then mkdir -- "$part"; fi
          if [ -L "$part" ] && [ ! -e "$part" ]; then echo "its folder $part is a symlink to $(readlink -- "$part"), which does not exist" >&2; exit 3; fi
          cd -P -- "$part"
          case "$(pwd -P)" in /data|/data/*) ;; *) echo "it resolves through symlinks to $(pwd -P), outside the volume" >&2; exit 3;; esac
        done
        pwd -P
        """;

    /// <summary>The subPath's real path relative to the volume's root ("" for the root itself), created when missing.</summary>
    private async Task<string> ResolveSubPathAsync(PodSettings settings, string volume, string subPath, string clean, CancellationToken cancellationToken)
    {
        var (exit, logs) = await RunHelperAsync(settings, volume, ["/bin/sh", "-c", WalkSubPath, "subpath", clean], cancellationToken);
        if (exit == 3)
            throw new ContainerConfigException($"subPath \"{subPath}\" of volume {volume} is refused: {logs.StandardError.Trim()} (a symlink a step made must not take the mount out of the workspace; bind a folder that is not a symlink)");
        var real = logs.StandardOutput.Trim();
        if (exit != 0 || !(real == "/data" || real.StartsWith("/data/", StringComparison.Ordinal)))
            throw new ContainerConfigException($"the subPath folder \"{subPath}\" could not be created in volume {volume}: {logs.StandardError.Trim()}");
        return real == "/data" ? "" : real["/data/".Length..];
    }

    /// <summary>
    /// A volume holding a ConfigMap's or Secret's keys as files (or a projected mix of them), read-only; a missing
    /// object or key that is not optional fails the pod as Kubernetes does (CreateContainerConfigError).
    /// </summary>
    public async Task<string> ConfigAsync(PodSettings settings, string name, object? source, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var sources = Yaml.Has(source, "projected")
            ? Yaml.List(Yaml.Map(source, "projected"), "sources").ToList()
            : [source];
        foreach (var item in sources) AddFiles(settings, item, files);
        var volume = await settings.Engine.CreateVolumeAsync($"{name}-{Interlocked.Increment(ref _count)}", settings.RunLabels, cancellationToken);
        _readOnly[volume] = true;
        await FillAsync(settings, volume, files, cancellationToken);
        return volume;
    }

    private static void AddFiles(PodSettings settings, object? source, Dictionary<string, byte[]> files)
    {
        var isSecret = Yaml.Has(source, "secret");
        var reference = Yaml.Map(source, isSecret ? "secret" : "configMap");
        var objectName = Yaml.String(reference, isSecret ? "secretName" : "name") ?? Yaml.String(reference, "name") ?? "";
        var optional = Yaml.String(reference, "optional") is "true" or "True";
        var data = isSecret ? SecretData(settings, objectName) : ConfigMapData(settings, objectName);
        if (data is null)
        {
            if (optional) return;
            throw new ContainerConfigException(isSecret
                ? $"secret \"{objectName}\" not found: add the Secret to the run file or --tekton-resources"
                : $"configmap \"{objectName}\" not found: add the ConfigMap to the run file or --tekton-resources");
        }
        var items = Yaml.List(reference, "items");
        if (items.Count == 0)
        {
            foreach (var (key, value) in data) files[key] = value;
            return;
        }
        foreach (var item in items)
        {
            var key = Yaml.String(item, "key") ?? "";
            if (!data.TryGetValue(key, out var value))
            {
                if (optional) continue;
                throw new ContainerConfigException($"{(isSecret ? "secret" : "configmap")} \"{objectName}\" has no key \"{key}\"");
            }
            files[Yaml.String(item, "path") ?? key] = value;
        }
    }

    private static Dictionary<string, byte[]>? ConfigMapData(PodSettings settings, string name)
    {
        if (settings.Rendered.ConfigMap(name) is not { } data) return null;
        var files = data.ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes(Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? ""));
        var map = settings.Rendered.OfKind("ConfigMap").First(c => RenderedTekton.NameOf(c) == name);
        foreach (var (key, value) in Yaml.Map(map, "binaryData")) files[key] = Convert.FromBase64String(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        return files;
    }

    private static Dictionary<string, byte[]>? SecretData(PodSettings settings, string name)
    {
        if (settings.Rendered.SecretKeys(name) is not { } keys) return null;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var value = settings.Rendered.SecretValue(name, key) ?? "";
            settings.Masker.Add(value);
            files[key] = Encoding.UTF8.GetBytes(value);
        }
        return files;
    }

    /// <summary>
    /// The mounts of the run's host folders (--tekton-host-paths, at the same path; the shared test data, beside the
    /// workspace): each copied once into a read-only volume. A bind of the folder would name a path the daemon may not see: a dind sidecar does not see its
    /// step's files (a run inside a Task), so the copy goes through the engine's archive API, which every daemon serves.
    /// </summary>
    public async Task<IReadOnlyList<string>> HostPathMountsAsync(PodSettings settings, CancellationToken cancellationToken)
    {
        var mounts = new List<string>();
        foreach (var (path, target) in settings.HostFolders)
        {
            var volume = await Shared($"host/{path}", async () =>
            {
                var created = await settings.Engine.CreateVolumeAsync($"{settings.Run}-host{Interlocked.Increment(ref _count)}", settings.RunLabels, cancellationToken);
                using var tar = new MemoryStream();
                await TarFile.CreateFromDirectoryAsync(path, tar, includeBaseDirectory: false, cancellationToken);
                tar.Position = 0;
                await PutAsync(settings, created, tar, cancellationToken);
                return created;
            });
            mounts.Add($"{volume}:{target}:ro,nocopy");
        }
        return mounts;
    }

    /// <summary>Writes the files into the volume through a created (never started) container, so no value passes through a command line or env.</summary>
    private static async Task FillAsync(PodSettings settings, string volume, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var folder in files.Keys.SelectMany(Folders).Distinct())
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, folder + "/") { Mode = (UnixFileMode)0b111_101_101 }, cancellationToken);
            foreach (var (path, content) in files)
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content), Mode = (UnixFileMode)0b110_100_100 }, cancellationToken);
        }
        tar.Position = 0;
        await PutAsync(settings, volume, tar, cancellationToken);
    }

    /// <summary>Extracts a tar into the volume's root through a created (never started) container.</summary>
    private static async Task PutAsync(PodSettings settings, string volume, Stream tar, CancellationToken cancellationToken)
    {
        var id = await settings.Engine.CreateContainerAsync(new ContainerSpec(settings.Runner.Image)
        {
            Name = $"{volume}-fill", Labels = settings.RunLabels, Binds = [$"{volume}:/data:nocopy"], NetworkMode = "none", Entrypoint = ["true"],
        }, cancellationToken);
        try
        {
            await settings.Engine.PutContainerArchiveAsync(id, "/data", tar, cancellationToken);
        }
        finally
        {
            await settings.Engine.RemoveContainerAsync(id, CancellationToken.None);
        }
    }

    private static IEnumerable<string> Folders(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++) yield return string.Join('/', parts[..i]);
    }

    private async Task<(long Exit, Docker.ContainerLogs Logs)> RunHelperAsync(PodSettings settings, string volume, IList<string> command, CancellationToken cancellationToken)
    {
        var id = await settings.Engine.CreateContainerAsync(new ContainerSpec(settings.Runner.Image)
        {
            Name = $"{settings.Run}-subpath-{Interlocked.Increment(ref _count)}", Labels = settings.RunLabels,
            // The pod runner image may carry its tools as host mounts (Runner.Binds), as the prepare container has them.
            User = "0", Binds = [.. settings.Runner.Binds, $"{volume}:/data:nocopy"], NetworkMode = "none", Entrypoint = [.. command],
        }, cancellationToken);
        try
        {
            await settings.Engine.StartContainerAsync(id, cancellationToken);
            var exit = await settings.Engine.WaitContainerAsync(id, cancellationToken);
            return (exit, await settings.Engine.GetContainerLogsAsync(id, cancellationToken));
        }
        finally
        {
            await settings.Engine.RemoveContainerAsync(id, CancellationToken.None);
        }
    }

    private Task<string> Shared(string key, Func<Task<string>> create) =>
        _shared.GetOrAdd(key, _ => new Lazy<Task<string>>(create)).Value;
}
