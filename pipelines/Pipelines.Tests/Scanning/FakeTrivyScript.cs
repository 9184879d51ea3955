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
        # The image is trivy's last argument; a real report names it as ArtifactName.
        image="$previous"

        """;

    /// <summary>
    /// <c>write_report SOURCE DESTINATION</c>: copies a fixture report naming <c>$image</c> as its <c>ArtifactName</c>, as
    /// Trivy writes what it was given (the upstream goldens name their test tarballs). Plain dash, no sed: the
    /// container image has nothing else. Defines a function; ends with a newline.
    /// </summary>
    public const string WriteReportFunction = """
        write_report() {
          while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in
              *'"ArtifactName":'*) printf '  "ArtifactName": "%s",\n' "$image" ;;
              *) printf '%s\n' "$line" ;;
            esac
          done < "$1" > "$2"
        }

        """;
}
