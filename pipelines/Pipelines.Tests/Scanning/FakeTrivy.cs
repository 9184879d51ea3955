using Pipelines.Tests.Support;

namespace Pipelines.Tests.Scanning;

/// <summary>
/// A shell script standing in for the trivy binary: answers <c>version --format json</c>, copies a chosen
/// report to the <c>--output</c> path and exits with a chosen code (or hangs), recording its arguments and
/// environment per subcommand so tests can check what Trivy would have been given.
/// </summary>
public sealed class FakeTrivy : IDisposable
{
    private const string Script = """
        #!/bin/sh
        dir="$(dirname "$0")"
        command="$1"
        printf '%s\n' "$@" > "$dir/argv-$command.txt"
        echo run >> "$dir/runs-$command.txt"
        env > "$dir/env-$command.txt"

        """ + FakeTrivyScript.ReadOutputArgument + FakeTrivyScript.WriteReportFunction + """
        case "$command" in
          version)
            cat "$dir/version.json"
            exit 0 ;;
          image)
            echo "INFO fake trivy scanning" >&2
            if [ -f "$dir/hang" ]; then exec sleep 600; fi
            if [ -f "$dir/report-as-is" ]; then cp "$dir/report.json" "$output";
            elif [ -f "$dir/report.json" ]; then write_report "$dir/report.json" "$output"; fi
            exit "$(cat "$dir/exit-code")" ;;
          convert)
            printf '{"bomFormat":"CycloneDX","specVersion":"1.6"}\n' > "$output"
            exit 0 ;;
        esac
        echo "unknown command $command" >&2
        exit 2
        """;

    private readonly TempDirectory _directory = new("fake-trivy");

    public FakeTrivy()
    {
        try
        {
            File.WriteAllText(Executable, Script.Replace("\r\n", "\n") + "\n");
            File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            WithVersion("0.74.0").WithExitCode(0);
        }
        catch
        {
            // A constructor that throws hands nobody an object to dispose.
            _directory.Dispose();
            throw;
        }
    }

    public string Executable => _directory.Combine("trivy");

    public FakeTrivy WithVersion(string version)
    {
        File.WriteAllText(_directory.Combine("version.json"),
            "{\"Version\":\"" + version + "\",\"VulnerabilityDB\":{\"Version\":2,\"UpdatedAt\":\"2026-11-21T06:00:00Z\"}}");
        return this;
    }

    /// <summary>A vulnerability DB updated at <paramref name="updatedAt"/> and due for renewal at <paramref name="nextUpdate"/>.</summary>
    public FakeTrivy WithDatabase(string version, DateTimeOffset updatedAt, DateTimeOffset nextUpdate)
    {
        File.WriteAllText(_directory.Combine("version.json"),
            $"{{\"Version\":\"{version}\",\"VulnerabilityDB\":{{\"Version\":2,\"UpdatedAt\":\"{updatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\",\"NextUpdate\":\"{nextUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\"}}}}");
        return this;
    }

    /// <summary>How many times the given subcommand ran (each run appends a line to <c>runs-&lt;command&gt;.txt</c>).</summary>
    public int Runs(string command) =>
        File.Exists(_directory.Combine($"runs-{command}.txt")) ? File.ReadAllLines(_directory.Combine($"runs-{command}.txt")).Length : 0;

    public FakeTrivy WithReport(string fixture)
    {
        // The bytes, not the file: a copy keeps the shared fixture's read-only mode, which only root may overwrite later
        // (the Tekton Test Task runs as uid 1654).
        File.WriteAllBytes(_directory.Combine("report.json"), File.ReadAllBytes(TrivyFixtures.PathOf(fixture)));
        File.Delete(_directory.Combine("report-as-is"));
        return this;
    }

    /// <summary>Writes the fixture exactly as it is, naming whatever image it names instead of the one scanned.</summary>
    public FakeTrivy WithReportAsIs(string path)
    {
        File.Copy(path, _directory.Combine("report.json"), overwrite: true);
        File.WriteAllText(_directory.Combine("report-as-is"), "");
        return this;
    }

    /// <summary>A report of one's own (a path), named for the image scanned like a fixture.</summary>
    public FakeTrivy WithReportFile(string path)
    {
        File.Copy(path, _directory.Combine("report.json"), overwrite: true);
        File.Delete(_directory.Combine("report-as-is"));
        return this;
    }

    public FakeTrivy WithExitCode(int code)
    {
        File.WriteAllText(_directory.Combine("exit-code"), code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return this;
    }

    public FakeTrivy Hanging()
    {
        File.WriteAllText(_directory.Combine("hang"), "");
        return this;
    }

    public bool Ran(string command) => File.Exists(_directory.Combine($"argv-{command}.txt"));

    /// <summary>The arguments the given subcommand received, one per element.</summary>
    public IReadOnlyList<string> Arguments(string command) =>
        File.ReadAllLines(_directory.Combine($"argv-{command}.txt"));

    /// <summary>The environment the given subcommand ran with, as NAME=value lines.</summary>
    public string Environment(string command) => File.ReadAllText(_directory.Combine($"env-{command}.txt"));

    public void Dispose() => _directory.Dispose();
}
