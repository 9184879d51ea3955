using System.Text.RegularExpressions;
using Pipelines.Docker;
using Pipelines.Logging;
using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Scanning;

/// <summary>
/// Container images standing in for Trivy's official image (nothing can be pulled here): FROM scratch with
/// this host's dash, sleep and the libraries they link, and a script as entrypoint that answers
/// <c>version</c>, writes a fixture to <c>--output</c> and records <c>TRIVY_USERNAME</c> and the <c>--ignorefile</c> it read beside it.
/// <see cref="HangingTag"/> sleeps instead of scanning.
/// </summary>
public sealed partial class FakeTrivyImage : IAsyncLifetime
{
    private const string Script = FakeTrivyScript.ReadOutputArgument + FakeTrivyScript.WriteReportFunction + """
        case "$1" in
          version)
            printf '{"Version":"0.74.0"}\n'
            exit 0 ;;
          image)
            echo "INFO fake trivy in a container" >&2
            if [ -f /hang ]; then exec /bin/sleep 600; fi
            write_report /report.json "$output"
            printf '%s' "$TRIVY_USERNAME" > "$(dirname_of "$output")/seen-username.txt"
            ignorefile=""
            previous=""
            for argument in "$@"; do
              if [ "$previous" = "--ignorefile" ]; then ignorefile="$argument"; fi
              previous="$argument"
            done
            if [ -n "$ignorefile" ]; then
              while IFS= read -r line || [ -n "$line" ]; do printf '%s\n' "$line"; done < "$ignorefile" > "$(dirname_of "$output")/seen-ignorefile.txt"
            fi
            exit 0 ;;
        esac
        exit 2
        """;

    private const string DirnameFunction = """
        dirname_of() { printf '%s' "${1%/*}"; }

        """;

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];

    internal DockerEngine Docker { get; } = new(DockerEndpoint.FromEnvironment(), new MemoryLog());
    public string Tag => $"pipelines.test/fake-trivy:{_suffix}";
    public string HangingTag => $"pipelines.test/fake-trivy:{_suffix}-hang";

    public async Task InitializeAsync()
    {
        await BuildAsync(Tag, hang: false);
        await BuildAsync(HangingTag, hang: true);
    }

    public async Task DisposeAsync()
    {
        await Docker.RemoveImageAsync(Tag, force: true);
        await Docker.RemoveImageAsync(HangingTag, force: true);
        Docker.Dispose();
    }

    private async Task BuildAsync(string tag, bool hang)
    {
        using var context = new TempDirectory("fake-trivy-image");
        var lines = new List<string> { "FROM scratch" };
        var libraries = await LibrariesAsync("/bin/dash", "/bin/sleep");
        foreach (var (library, index) in libraries.Select((l, i) => (l, i)))
        {
            File.Copy(library, context.Combine($"lib{index}"));
            lines.Add($"COPY lib{index} {library}");
        }
        File.Copy("/bin/dash", context.Combine("sh"));
        File.Copy("/bin/sleep", context.Combine("sleep"));
        File.WriteAllText(context.Combine("trivy"), DirnameFunction + Script.Replace("\r\n", "\n") + "\n");
        File.Copy(TrivyFixtures.PathOf("alpine-310.json.golden"), context.Combine("report.json"));
        lines.AddRange(["COPY sh /bin/sh", "COPY sleep /bin/sleep", "COPY trivy /usr/local/bin/trivy", "COPY report.json /report.json"]);
        if (hang)
        {
            File.WriteAllText(context.Combine("hang"), "");
            lines.Add("COPY hang /hang");
        }
        lines.Add("""ENTRYPOINT ["/bin/sh", "/usr/local/bin/trivy"]""");
        File.WriteAllText(context.Combine("Dockerfile"), string.Join("\n", lines) + "\n");
        await Docker.BuildImageAsync(new ImageBuildRequest(BuildContext.Create(context.Path, "Dockerfile")) { Tags = [tag] });
    }

    /// <summary>The shared libraries and loader the executables link, as <c>ldd</c> lists them.</summary>
    private static async Task<IReadOnlyList<string>> LibrariesAsync(params string[] executables)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var executable in executables)
        {
            var result = (await new Command("ldd").WithArguments(executable).WithOutput(OutputMode.Quiet).ExecuteAsync()).EnsureSuccess();
            foreach (Match match in LibraryPath().Matches(result.StandardOutput)) paths.Add(match.Groups[1].Value);
        }
        return paths.ToList();
    }

    [GeneratedRegex(@"(/\S+) \(0x", RegexOptions.Multiline)]
    private static partial Regex LibraryPath();
}
