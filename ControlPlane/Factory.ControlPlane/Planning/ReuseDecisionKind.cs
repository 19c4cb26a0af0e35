namespace Factory.ControlPlane.Planning;

public enum ReuseDecisionKind { Reuse, TestOnly, Build }
