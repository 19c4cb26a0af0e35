namespace Factory.ControlPlane.DeadLetters;

/// <summary>What a dead-letter queue holds: the kind of a <see cref="DeadLetter"/>, as the API and the CLI show it.</summary>
public static class DeadLetterKind
{
    /// <summary>A work item a pool's executors gave up on (wq-&lt;pool&gt;_error); replayed to its pool's queue.</summary>
    public const string WorkItem = "work_item";
    /// <summary>An executor's result the results consumer gave up on or refused (results_error); replayed to results.</summary>
    public const string Result = "result";
}
