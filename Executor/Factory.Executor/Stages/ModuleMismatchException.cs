using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Executor.Stages;

public sealed class ModuleMismatchException(string message) : Exception(message);
