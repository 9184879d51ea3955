namespace Pipelines.Tests.Scanning;

/// <summary>Shell shared by the fake trivy executables (<see cref="FakeTrivy"/>, <see cref="FakeTrivyImage"/>).</summary>
internal static class FakeTrivyScript
{
    /// <summary>Sets <c>$output</c> to the value after <c>--output</c> in the arguments, as trivy reads it; ends with a newline.</summary>
    public const string ReadOutputArgument = """
        output=""
        previous=""
        for argument in "$@"; do
          if [ "$previous" = "--output" ]; then output="$argument"; fi
          previous="$argument"
        done

        """;
}
