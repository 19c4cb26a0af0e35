using Factory.Cli.Commands;

return await FactoryCommandLine.InvokeAsync(args);

public partial class Program;
