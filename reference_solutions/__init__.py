"""Executable reference solutions: one module per homework, plus shared optimizers."""
