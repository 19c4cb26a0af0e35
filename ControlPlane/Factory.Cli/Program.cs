using Factory.Cli.Commands;

// A command lives about a second and spends it mostly loading types and compiling generic code. Without dynamic code,
// System.Text.Json reads and writes properties by reflection instead of first compiling some 180 emitted accessors at
// full optimisation, and expressions are interpreted. `serve` lives for hours and keeps dynamic code for its steady
// state. Set first thing, the switch takes effect (a reused run then JIT-compiles 42 methods at full optimisation, not 212).
if (args is not ["serve", ..]) AppContext.SetSwitch("System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported", false);
return await FactoryCommandLine.InvokeAsync(args);

public partial class Program;
