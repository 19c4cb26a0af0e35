namespace Factory.ResultsConsumer;

public sealed class ResultsConsumerOptions
{
    public string StateDirectory { get; set; } = ".factory";
}
