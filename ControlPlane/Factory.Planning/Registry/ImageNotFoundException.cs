namespace Factory.Planning.Registry;

public sealed class ImageNotFoundException(string message) : Exception(message);
