namespace Factory.Planning;

public enum ReuseDecisionKind { Reuse, TestOnly, Build }
