using Pipelines.Targets;

namespace Pipelines.Tests.Targets;

public class ExecutionPlannerTests
{
    private static readonly TargetNode[] Chain =
    [
        new("Test", []),
        new("Containerize", ["Test"]),
        new("Scan", ["Containerize"]),
        new("Sign", ["Scan"]),
        new("Deploy", ["Sign"]),
    ];

    private static IReadOnlyList<string> Order(IReadOnlyList<TargetNode> targets, PlanRequest request, string defaultTarget = "Deploy") =>
        ExecutionPlanner.Plan(targets, request, defaultTarget).Names.ToList();

    [Fact]
    public void The_default_target_runs_after_everything_it_depends_on()
    {
        Assert.Equal(["Test", "Containerize", "Scan", "Sign", "Deploy"], Order(Chain, new PlanRequest([])));
    }

    [Fact]
    public void An_invoked_target_schedules_only_its_dependencies()
    {
        Assert.Equal(["Test", "Containerize", "Scan"], Order(Chain, new PlanRequest(["scan"])));
    }

    [Fact]
    public void After_orders_two_scheduled_targets_without_scheduling_the_other()
    {
        TargetNode[] targets = [new("Restore", []), new("Lint", [], After: ["Compile"]), new("Compile", ["Restore"])];

        Assert.Equal(["Restore", "Compile", "Lint"], Order(targets, new PlanRequest(["Lint", "Compile"])));
        Assert.Equal(["Lint"], Order(targets, new PlanRequest(["Lint"])));
    }

    [Fact]
    public void Before_puts_the_target_ahead_of_another_scheduled_one()
    {
        TargetNode[] targets = [new("Publish", []), new("Clean", [], Before: ["Publish"])];

        Assert.Equal(["Clean", "Publish"], Order(targets, new PlanRequest(["Publish", "Clean"])));
    }

    [Fact]
    public void Ties_follow_declaration_order()
    {
        TargetNode[] targets = [new("B", []), new("A", []), new("All", ["A", "B"])];

        Assert.Equal(["B", "A", "All"], Order(targets, new PlanRequest(["All"])));
    }

    [Fact]
    public void A_cycle_is_reported_with_the_names_on_it()
    {
        TargetNode[] targets = [new("Test", ["Deploy"]), new("Build", []), new("Package", ["Test"]), new("Deploy", ["Package"])];

        var error = Assert.Throws<PlanException>(() => Order(targets, new PlanRequest(["Build"])));

        Assert.Contains("cycle", error.Message);
        Assert.Contains("Test → Package → Deploy → Test", error.Message);
    }

    [Fact]
    public void A_cycle_through_ordering_constraints_is_reported_too()
    {
        TargetNode[] targets = [new("A", [], After: ["B"]), new("B", [], After: ["A"])];

        var error = Assert.Throws<PlanException>(() => Order(targets, new PlanRequest(["A"])));

        Assert.Contains("A → B → A", error.Message);
    }

    [Fact]
    public void Bare_skip_skips_every_target_not_named_on_the_command_line()
    {
        var plan = ExecutionPlanner.Plan(Chain, new PlanRequest(["Sign"], Skip: []), "Deploy");

        Assert.Equal(["Test", "Containerize", "Scan"], plan.Targets.Where(t => t.IsSkipped).Select(t => t.Name));
        Assert.False(plan.Targets.Single(t => t.Name == "Sign").IsSkipped);
    }

    [Fact]
    public void Skip_with_names_skips_only_those()
    {
        var plan = ExecutionPlanner.Plan(Chain, new PlanRequest(["Scan"], Skip: ["test"]), "Deploy");

        Assert.Equal(["Test"], plan.Targets.Where(t => t.IsSkipped).Select(t => t.Name));
        Assert.Equal("--skip Test", plan.Targets[0].SkipReason);
    }

    [Fact]
    public void An_unknown_target_lists_the_valid_ones_and_suggests_the_closest()
    {
        var error = Assert.Throws<PlanException>(() => Order(Chain, new PlanRequest(["Deplyo"])));

        Assert.Contains("Unknown target 'Deplyo'", error.Message);
        Assert.Contains("Did you mean 'Deploy'?", error.Message);
        Assert.Contains("Test, Containerize, Scan, Sign, Deploy", error.Message);
    }

    [Fact]
    public void An_unknown_name_in_skip_is_reported()
    {
        var error = Assert.Throws<PlanException>(() => Order(Chain, new PlanRequest(["Deploy"], Skip: ["Scna"])));

        Assert.Contains("Did you mean 'Scan'?", error.Message);
    }

    [Fact]
    public void A_dependency_on_a_missing_target_is_reported()
    {
        TargetNode[] targets = [new("A", ["Nope"])];

        var error = Assert.Throws<PlanException>(() => Order(targets, new PlanRequest(["A"])));

        Assert.Contains("A refers to Nope", error.Message);
    }
}
