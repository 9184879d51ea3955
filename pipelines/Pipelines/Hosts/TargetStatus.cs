namespace Pipelines.Hosts;

public enum TargetStatus { Succeeded, Failed, Skipped, NotRun }
