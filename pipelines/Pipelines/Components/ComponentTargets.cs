using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>
/// The components' targets as members of any build that has them, so that a build class reads them as its own:
/// <c>Execute&lt;Build&gt;(args, x => x.Deploy)</c>, <c>.DependsOn(this.Containerize)</c>. A component interface's
/// default member is not a member of the class that implements it; these extension properties forward to it (through
/// the interface, so a build's replacement of a target is the one returned).
/// </summary>
public static class ComponentTargets
{
    extension(INotify build)
    {
        /// <summary><see cref="INotify.NotifyFailure"/>.</summary>
        public Target NotifyFailure => build.NotifyFailure;
    }

    extension(ITest build)
    {
        /// <summary><see cref="ITest.Test"/>.</summary>
        public Target Test => build.Test;
    }

    extension(IContainerize build)
    {
        /// <summary><see cref="IContainerize.Containerize"/>.</summary>
        public Target Containerize => build.Containerize;
    }

    extension(IScan build)
    {
        /// <summary><see cref="IScan.Scan"/>.</summary>
        public Target Scan => build.Scan;
    }

    extension(ISign build)
    {
        /// <summary><see cref="ISign.Sign"/>.</summary>
        public Target Sign => build.Sign;
    }

    extension(IVerify build)
    {
        /// <summary><see cref="IVerify.Verify"/>.</summary>
        public Target Verify => build.Verify;
    }

    extension(IDeploy build)
    {
        /// <summary><see cref="IDeploy.Deploy"/>.</summary>
        public Target Deploy => build.Deploy;
    }

    extension(IAnalyze build)
    {
        /// <summary><see cref="IAnalyze.Analyze"/>.</summary>
        public Target Analyze => build.Analyze;
    }

    extension(IPromote build)
    {
        /// <summary><see cref="IPromote.Promote"/>.</summary>
        public Target Promote => build.Promote;
    }

    extension(IRollback build)
    {
        /// <summary><see cref="IRollback.Rollback"/>.</summary>
        public Target Rollback => build.Rollback;
    }

    extension(IGenerate build)
    {
        /// <summary><see cref="IGenerate.Generate"/>.</summary>
        public Target Generate => build.Generate;
    }

    extension(ITektonRun build)
    {
        /// <summary><see cref="ITektonRun.TektonRun"/>.</summary>
        public Target TektonRun => build.TektonRun;
    }

    extension(IRunnerImage build)
    {
        /// <summary><see cref="IRunnerImage.RunnerImage"/>.</summary>
        public Target RunnerImage => build.RunnerImage;
    }

    extension(IGenerateKey build)
    {
        /// <summary><see cref="IGenerateKey.GenerateKey"/>.</summary>
        public Target GenerateKey => build.GenerateKey;
    }

    extension(IAddService build)
    {
        /// <summary><see cref="IAddService.AddService"/>.</summary>
        public Target AddService => build.AddService;
    }
}
