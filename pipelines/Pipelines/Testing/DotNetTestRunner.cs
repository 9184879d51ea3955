using System.Xml.Linq;
using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.Testing;

/// <summary>Runs <c>dotnet test</c> with the TRX logger and counts the results from the TRX files.</summary>
internal sealed class DotNetTestRunner(ILog log)
{
    /// <summary>Runs <c>dotnet test</c> and counts the results from its TRX files.</summary>
    public async Task<TestRunResult> RunAsync(TestRunOptions options, CancellationToken cancellationToken)
    {
        if (Directory.Exists(options.ResultsDirectory)) Directory.Delete(options.ResultsDirectory, recursive: true);
        Directory.CreateDirectory(options.ResultsDirectory);

        var arguments = new List<string>
        {
            "test", options.Target,
            "--configuration", options.Configuration,
            "--logger", "trx",
            "--results-directory", options.ResultsDirectory,
            "--nologo",
        };
        if (options.Filter is { Length: > 0 } filter) arguments.AddRange(["--filter", filter]);
        // coverlet.collector (referenced by the test projects) writes one Cobertura file per test project under the results.
        if (options.CollectCoverage) arguments.AddRange(["--collect", "XPlat Code Coverage;Format=cobertura"]);

        var result = await new Command("dotnet")
            .WithArguments(arguments)
            .WithTimeout(options.Timeout)
            .WithEnvironment("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .WithMissingHint("install the .NET SDK that global.json names, or run ./build.sh, which installs it")
            .ExecuteAsync(log, cancellationToken);

        var files = Directory.GetFiles(options.ResultsDirectory, "*.trx", SearchOption.AllDirectories).Order().ToList();
        if (files.Count == 0)
            throw new PipelineException(result.Succeeded
                ? $"dotnet test wrote no TRX results under {options.ResultsDirectory}: no test project ran."
                : $"dotnet test failed before any test ran (exit code {result.ExitCode}); the build errors are above.");

        var counts = files.Select(Count).Aggregate((a, b) => (a.Passed + b.Passed, a.Failed + b.Failed, a.Skipped + b.Skipped));
        return new TestRunResult(counts.Passed, counts.Failed, counts.Skipped, files, result.ExitCode)
        {
            CoverageFiles = options.CollectCoverage
                ? Directory.GetFiles(options.ResultsDirectory, "coverage.cobertura.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
                : [],
        };
    }

    /// <summary>Counts one TRX file from its test results (more reliable than its summary counters).</summary>
    public static (int Passed, int Failed, int Skipped) Count(string trxPath)
    {
        var document = XDocument.Load(trxPath);
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var outcomes = document.Descendants(ns + "UnitTestResult").Select(r => (string?)r.Attribute("outcome")).ToList();
        return (
            outcomes.Count(o => o == "Passed"),
            outcomes.Count(o => o is "Failed" or "Error" or "Timeout" or "Aborted"),
            outcomes.Count(o => o is "NotExecuted" or "Inconclusive" or "Pending" or "Disconnected" or "Warning"));
    }
}
