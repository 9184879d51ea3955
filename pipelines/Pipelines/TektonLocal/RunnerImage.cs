using System.Formats.Tar;
using System.Text;
using Pipelines.Containers;
using Pipelines.Docker;
using Pipelines.Logging;

namespace Pipelines.TektonLocal;

/// <summary>
/// The image the generated steps run in. Built from tekton/runner/Dockerfile when its base image is here or can be
/// pulled; otherwise (no network) assembled from this machine's tools: a tiny image with the runner's users
/// (root, and app with uid 1654 as in the SDK image) whose steps get the host's /usr (dotnet, git, kubectl, node,
/// docker, sh) mounted read-only, so the same toolchain as <c>./build.sh</c> on this host runs inside the pod.
/// </summary>
internal sealed class RunnerImage(DockerEngine engine, ILog log)
{
    public const string BuiltTag = "pipelines.local/tekton-runner:dockerfile";
    public const string AssembledTag = "pipelines.local/tekton-runner:host-tools";
    private static readonly string[] Tools = ["sh", "dotnet", "git", "kubectl", "node", "docker", "curl"];
    private const string ImagePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /// <summary>Where the assembled runner mounts the host's validators (tekton/runner/Dockerfile installs them globally).</summary>
    internal const string ValidatorsPath = "/opt/pipeline-validators";

    /// <summary>
    /// The runner for this build's Pipeline; <paramref name="validators"/> gives the folder of the host's pinned npm
    /// validators (null: on PATH under /usr), asked only when the image is assembled: the real runner installs them at
    /// build time, so the Test Task never runs npm install (which its uid 1654 could not do in a fresh clone).
    /// </summary>
    public async Task<RunnerChoice> ResolveAsync(string dockerfile, Func<CancellationToken, Task<string?>> validators, CancellationToken cancellationToken)
    {
        string? reason;
        if (!File.Exists(dockerfile)) reason = $"{dockerfile} does not exist";
        else
        {
            var bases = BaseImages(File.ReadLines(dockerfile));
            reason = bases.Count == 0 ? $"{dockerfile} has no FROM line" : null;
            foreach (var from in bases)
            {
                if (reason is not null) break;
                if (await LocalImages.HasAsync(engine, from, cancellationToken)) continue;
                if (await LocalImages.PullAsync(engine, from, TimeSpan.FromSeconds(60), cancellationToken) is { } error) reason = $"its base {from} cannot be pulled ({Short(error)})";
            }
            if (reason is null) return await BuildAsync(dockerfile, string.Join(", ", bases), cancellationToken);
        }
        return WithValidators(await AssembleAsync(reason, cancellationToken), await validators(cancellationToken), log);
    }

    /// <summary>
    /// The assembled runner with the validators the real one installs globally: the host's folder mounted read-only and
    /// put on PATH, said once in the log; null leaves the runner as it is (the host has them under /usr, mounted already).
    /// </summary>
    internal static RunnerChoice WithValidators(RunnerChoice runner, string? folder, ILog log)
    {
        if (folder is null) return runner;
        log.Info($"Runner image: the pinned npm validators ({folder}) are mounted read-only at {ValidatorsPath} with node_modules/.bin on PATH, as tekton/runner/Dockerfile installs them globally (the Test Task finds them on PATH and installs nothing at run time).");
        return runner with
        {
            Binds = [.. runner.Binds, $"{folder}:{ValidatorsPath}:ro"],
            Environment = new Dictionary<string, string>(runner.Environment) { ["PATH"] = $"{ImagePath}:{ValidatorsPath}/node_modules/.bin" },
        };
    }

    private async Task<RunnerChoice> BuildAsync(string dockerfile, string from, CancellationToken cancellationToken)
    {
        log.Info($"Runner image: building {BuiltTag} from {dockerfile} (base {from} is available).");
        var folder = Path.GetDirectoryName(Path.GetFullPath(dockerfile))!;
        await engine.BuildImageAsync(new ImageBuildRequest(BuildContext.Create(folder, dockerfile)) { Tags = [BuiltTag] }, cancellationToken);
        return new RunnerChoice(BuiltTag, [], $"built from {dockerfile}");
    }

    /// <summary>
    /// For a run file: no step runs in the runner image; it only plays Tekton's own init (place-scripts) and pause
    /// containers, which need a shell, so the host-tools image serves (said once in the log).
    /// </summary>
    public Task<RunnerChoice> ForPodsAsync(CancellationToken cancellationToken) =>
        AssembleAsync(null, cancellationToken);

    private async Task<RunnerChoice> AssembleAsync(string? reason, CancellationToken cancellationToken)
    {
        var found = Tools.Where(t => File.Exists($"/usr/bin/{t}")).ToList();
        if (!found.Contains("sh")) throw new PipelineException($"The runner image cannot be {(reason is null ? "" : $"built ({reason}) nor ")}assembled from this host (no /usr/bin/sh): make the Dockerfile's base image available locally (docker load) and run again.");
        log.Info(reason is null
            ? $"Pod helper image: {AssembledTag}, assembled from this host's tools (/usr read-only), runs Tekton's init and pause containers; every step and sidecar runs in the image it names."
            : $"Runner image: {reason}, so {AssembledTag} is assembled from this host's tools: /usr read-only ({string.Join(", ", found)}); users root and app (1654).");
        if (!await LocalImages.HasAsync(engine, AssembledTag, cancellationToken))
        {
            using var context = new MemoryStream();
            WriteContext(context);
            context.Position = 0;
            await engine.BuildImageAsync(context, "Dockerfile", [AssembledTag], new Dictionary<string, string> { ["org.opencontainers.image.title"] = "Tekton runner from host tools (local use only)" }, cancellationToken);
        }
        string[] binds = ["/usr:/usr:ro", "/etc/ssl:/etc/ssl:ro", "/etc/alternatives:/etc/alternatives:ro", "/etc/ld.so.cache:/etc/ld.so.cache:ro"];
        return new RunnerChoice(AssembledTag, binds.Where(b => Path.Exists(b.Split(':')[0])).ToList(), $"assembled from this host's tools ({string.Join(", ", found)})");
    }

    private static void WriteContext(Stream stream)
    {
        using var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
        void File(string name, string text, UnixFileMode mode = (UnixFileMode)0b110_100_100)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)), Mode = mode };
            tar.WriteEntry(entry);
        }
        void Directory(string name, UnixFileMode mode) => tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode });
        void Link(string name, string target) => tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });

        File("Dockerfile", $"FROM scratch\nCOPY rootfs/ /\nENV PATH={ImagePath} DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1\nUSER 1654\n");
        Directory("rootfs/", (UnixFileMode)0b111_101_101);
        Directory("rootfs/etc/", (UnixFileMode)0b111_101_101);
        File("rootfs/etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File("rootfs/etc/group", "root:x:0:\napp:x:1654:\nnogroup:x:65534:\n");
        File("rootfs/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
        Directory("rootfs/tmp/", (UnixFileMode)0b1_111_111_111);
        Directory("rootfs/root/", (UnixFileMode)0b111_000_000);
        Directory("rootfs/home/", (UnixFileMode)0b111_101_101);
        Directory("rootfs/home/app/", (UnixFileMode)0b1_111_111_111);
        Directory("rootfs/workspace/", (UnixFileMode)0b111_101_101);
        Directory("rootfs/usr/", (UnixFileMode)0b111_101_101);
        foreach (var link in new[] { "bin", "lib", "lib64", "sbin" }) Link($"rootfs/{link}", $"usr/{link}");
    }

    private static string Short(string text) => text.Split('\n')[0].Trim() is { Length: > 160 } line ? line[..160] + "…" : text.Split('\n')[0].Trim();

    /// <summary>
    /// The images a Dockerfile's stages start from, with the ARG defaults declared before the first FROM substituted
    /// (<c>ARG SDK_IMAGE=…</c> then <c>FROM ${SDK_IMAGE}</c>); a stage built on an earlier stage is no base image.
    /// </summary>
    internal static IReadOnlyList<string> BaseImages(IEnumerable<string> dockerfile)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var bases = new List<string>();
        var seenFrom = false;
        foreach (var line in dockerfile.Select(l => l.Trim()))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2) continue;
            if (!seenFrom && words[0].Equals("ARG", StringComparison.OrdinalIgnoreCase) && words[1].Split('=', 2) is [var name, var value])
                args[name] = value.Trim('"');
            if (!words[0].Equals("FROM", StringComparison.OrdinalIgnoreCase)) continue;
            seenFrom = true;
            var image = words.Skip(1).First(w => !w.StartsWith("--", StringComparison.Ordinal));
            image = System.Text.RegularExpressions.Regex.Replace(image, @"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", m => args.GetValueOrDefault(m.Groups[1].Value, ""));
            var asIndex = Array.FindIndex(words, w => w.Equals("AS", StringComparison.OrdinalIgnoreCase));
            if (!stages.Contains(image) && !image.Equals("scratch", StringComparison.OrdinalIgnoreCase) && !bases.Contains(image)) bases.Add(image);
            if (asIndex > 0 && asIndex + 1 < words.Length) stages.Add(words[asIndex + 1]);
        }
        return bases;
    }
}
