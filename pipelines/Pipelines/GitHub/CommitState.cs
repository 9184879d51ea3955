namespace Pipelines.GitHub;

public enum CommitState { Pending, Success, Failure, Error }
