using Pipelines.Scaffolding;

namespace Pipelines.Tests.Components;

/// <summary>
/// AddService's text edits on shapes the template does not write: a policy indented otherwise, a CRLF file, a
/// <c>Services =&gt;</c> on the last line, a --project with quotes or backslashes.
/// </summary>
public sealed class AddServiceEditsTests
{
    private static readonly NewService Payments = new("payments", null, 8080, "ghcr.io/acme", ["dev"]);

    [Theory]
    [InlineData("    ")]
    [InlineData("            ")]
    [InlineData("\t\t")]
    public void The_policy_item_takes_the_indentation_of_the_item_it_follows(string indent)
    {
        var policy = $"spec:\n  rules:\n    - verifyImages:\n{indent}- \"ghcr.io/acme/orders*\"\n      attestors: []\n";

        var edited = ServiceListings.AddToPolicy(policy, ServiceFiles.PolicyEntry(Payments), "policy.yaml");

        Assert.Contains($"{indent}- \"ghcr.io/acme/orders*\"\n{indent}- \"ghcr.io/acme/payments*\"\n      attestors", edited);
    }

    [Fact]
    public void A_CRLF_file_stays_CRLF_after_every_edit()
    {
        var build = "class Build\n{\n    IReadOnlyList<Service> Services =>\n    [\n        new(\"orders\"),\n    ];\n}\n".ReplaceLineEndings("\r\n");
        var resources = "resources:\n  - ../../apps/orders/overlays/dev\n".ReplaceLineEndings("\r\n");
        var policy = "imageReferences:\n  - \"ghcr.io/acme/orders*\"\n".ReplaceLineEndings("\r\n");
        var namespaces = "kind: Namespace\nmetadata:\n  name: orders\n".ReplaceLineEndings("\r\n");

        var edited = new[]
        {
            ServiceListings.AddToServices(build, ServiceFiles.ServicesEntry(Payments), "build/Build.cs"),
            ServiceListings.AddToResources(resources, ServiceFiles.EnvironmentEntry(Payments, "dev"), "kustomization.yaml"),
            ServiceListings.AddToPolicy(policy, ServiceFiles.PolicyEntry(Payments), "policy.yaml"),
            ServiceListings.AddDocument(namespaces, ServiceFiles.Namespace(Payments)),
        };

        foreach (var text in edited)
        {
            Assert.Contains("payments", text);
            Assert.DoesNotMatch("(?<!\r)\n", text);
        }
        Assert.Contains("        new(\"orders\"),\r\n        new(\"payments\"),\r\n    ];", edited[0]);
    }

    [Fact]
    public void An_LF_file_stays_LF()
    {
        var edited = ServiceListings.AddToResources("resources:\n  - ../../apps/orders/overlays/dev\n", ServiceFiles.EnvironmentEntry(Payments, "dev"), "kustomization.yaml");

        Assert.Equal("resources:\n  - ../../apps/orders/overlays/dev\n  - ../../apps/payments/overlays/dev\n", edited);
    }

    [Fact]
    public void A_Services_arrow_on_the_last_line_is_refused_naming_the_file_not_an_index_error()
    {
        var refusal = Assert.Throws<PipelineException>(() =>
            ServiceListings.AddToServices("class Build\n{\n    IReadOnlyList<Service> Services =>", ServiceFiles.ServicesEntry(Payments), "build/Build.cs"));

        Assert.Contains("build/Build.cs: no `Services =>` list", refusal.Message);
    }

    [Theory]
    [InlineData(@"src\Payments\Payments.csproj", @"Project = ""src\\Payments\\Payments.csproj""")]
    [InlineData("src/Pay\"ments/P.csproj", @"Project = ""src/Pay\""ments/P.csproj""")]
    [InlineData("src/a\nb.csproj", @"Project = ""src/a\nb.csproj""")]
    public void A_project_path_goes_into_Build_cs_as_an_escaped_string_literal(string project, string expected)
    {
        var entry = ServiceFiles.ServicesEntry(Payments with { Project = project });

        Assert.Equal($"new(\"payments\") {{ {expected} }},", entry);
        Assert.DoesNotContain('\n', entry);
    }
}
