namespace Factory.Messaging;

/// <summary>
/// Names of the queues every service agrees on. Work is sent to the exchange of a pool's queue (wq-&lt;pool&gt;),
/// which executors and the control plane both declare as a priority queue; after its retries a work item
/// lands in wq-&lt;pool&gt;_error, the pool's dead-letter queue. A result the results consumer gave up on or refused
/// lands in results_error.
/// </summary>
public static class WorkQueues
{
    public const byte MaxPriority = 9;
    public const string Results = "results";
    public const string ResultsDeadLetter = Results + "_error";

    public static string For(string pool) => $"wq-{pool}";
    public static string DeadLetterFor(string pool) => $"{For(pool)}_error";
    public static Uri AddressFor(string pool) => new($"exchange:{For(pool)}");
}
