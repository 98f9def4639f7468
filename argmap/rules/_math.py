"""A small, safe evaluator for `{math: "..."}` claims. Never `eval`.

The expression is parsed with `ast` and walked over a whitelist: numbers, `True`
/ `False`, `+ - * / // % **`, comparisons (chained too), `and` / `or` / `not`,
parentheses, the constants `pi` and `e`, and the functions `abs min max round
sqrt log log10 exp floor ceil`. Anything else (names, attributes, subscripts,
calls of other functions, strings, lambdas...) is refused with a reason. Limits
keep hostile input cheap: at most 1,000 characters and 200 syntax nodes,
exponents at most 1,000 in size, integers at most 4,096 bits, floats finite.
`==` and `!=` compare within a relative tolerance, so `0.1 + 0.2 == 0.3` holds.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

MAX_LENGTH = 1000
MAX_NODES = 200
MAX_EXPONENT = 1000
MAX_INT_BITS = 4096

Number = int | float | bool


class MathError(Exception):
    """The expression is not safe arithmetic; the message says why."""


_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}

_FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "abs": (abs, 1, 1),
    "min": (min, 2, 16),
    "max": (max, 2, 16),
    "round": (round, 1, 2),
    "sqrt": (math.sqrt, 1, 1),
    "log": (math.log, 1, 2),
    "log10": (math.log10, 1, 1),
    "exp": (math.exp, 1, 1),
    "floor": (math.floor, 1, 1),
    "ceil": (math.ceil, 1, 1),
}

_CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}


def evaluate(expression: str, tolerance: float = 1e-9) -> Number:
    """Evaluate `expression`; raises `MathError` when it is not safe arithmetic."""
    if len(expression) > MAX_LENGTH:
        raise MathError(f"expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise MathError(f"not an arithmetic expression ({exc.msg})") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise MathError(f"expression has more than {MAX_NODES} parts")
    try:
        return _Evaluator(tolerance).visit(tree.body)
    except MathError:
        raise
    except ZeroDivisionError:
        raise MathError("division by zero") from None
    except (OverflowError, ValueError, TypeError) as exc:
        raise MathError(f"cannot be computed ({exc})") from None


class _Evaluator:
    def __init__(self, tolerance: float) -> None:
        self.tolerance = tolerance

    def visit(self, node: ast.AST) -> Number:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise MathError(f"{_describe(node)} is not allowed in math")
        result: Number = method(node)
        return _checked(result)

    def visit_Constant(self, node: ast.Constant) -> Number:
        value = node.value
        if isinstance(value, bool | int | float):
            return value
        raise MathError(f"{type(value).__name__} constant {value!r} is not allowed in math")

    def visit_Name(self, node: ast.Name) -> Number:
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        raise MathError(f"name {node.id!r} is not allowed in math (only numbers, pi and e)")

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Number:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return not operand
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return +operand
        raise MathError("bitwise operators are not allowed in math")

    def visit_BinOp(self, node: ast.BinOp) -> Number:
        function = _BINARY.get(type(node.op))
        if function is None:
            raise MathError(f"operator {type(node.op).__name__} is not allowed in math")
        left = self.visit(node.left)
        right = self.visit(node.right)
        if isinstance(node.op, ast.Pow):
            if abs(right) > MAX_EXPONENT:
                raise MathError(f"exponent {right} is too large (at most {MAX_EXPONENT})")
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and right >= 0
                and abs(left) > 1
                and left.bit_length() * right > MAX_INT_BITS
            ):
                raise MathError("result is too large")
        if (
            isinstance(node.op, ast.Mult)
            and isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() + right.bit_length() > MAX_INT_BITS
        ):
            raise MathError("result is too large")
        result: Number = function(left, right)
        if isinstance(result, complex):
            raise MathError("result is a complex number")
        return result

    def visit_BoolOp(self, node: ast.BoolOp) -> Number:
        values = [self.visit(value) for value in node.values]
        if isinstance(node.op, ast.And):
            return (
                all(bool(v) for v in values)
                if all(isinstance(v, bool) for v in values)
                else _last_and(values)
            )
        return any(bool(v) for v in values) if all(isinstance(v, bool) for v in values) else _first_or(values)

    def visit_Compare(self, node: ast.Compare) -> Number:
        left = self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.visit(comparator)
            if isinstance(op, ast.Eq):
                ok = self._close(left, right)
            elif isinstance(op, ast.NotEq):
                ok = not self._close(left, right)
            elif isinstance(op, ast.Lt):
                ok = left < right
            elif isinstance(op, ast.LtE):
                ok = left <= right or self._close(left, right)
            elif isinstance(op, ast.Gt):
                ok = left > right
            elif isinstance(op, ast.GtE):
                ok = left >= right or self._close(left, right)
            else:
                raise MathError(f"comparison {type(op).__name__} is not allowed in math")
            if not ok:
                return False
            left = right
        return True

    def _close(self, left: Number, right: Number) -> bool:
        if left == right:
            return True
        return math.isclose(float(left), float(right), rel_tol=self.tolerance, abs_tol=1e-12)

    def visit_Call(self, node: ast.Call) -> Number:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            raise MathError(
                f"{_describe(node.func)} is not a function allowed in math "
                f"(allowed: {', '.join(sorted(_FUNCTIONS))})"
            )
        if node.keywords:
            raise MathError("keyword arguments are not allowed in math")
        function, least, most = _FUNCTIONS[node.func.id]
        if not least <= len(node.args) <= most:
            raise MathError(f"{node.func.id}() takes {least} to {most} arguments")
        args = [self.visit(arg) for arg in node.args]
        if node.func.id == "round" and len(args) == 2 and abs(args[1]) > 100:
            raise MathError("round() to more than 100 digits")
        result: Number = function(*args)
        return result


def _last_and(values: list[Number]) -> Number:
    for value in values:
        if not value:
            return value
    return values[-1]


def _first_or(values: list[Number]) -> Number:
    for value in values:
        if value:
            return value
    return values[-1]


def _checked(value: Number) -> Number:
    if isinstance(value, float) and not math.isfinite(value):
        raise MathError("result is not a finite number")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise MathError("result is too large")
    return value


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return f"name {node.id!r}"
    if isinstance(node, ast.Attribute):
        return f"attribute {node.attr!r}"
    if isinstance(node, ast.Call):
        return "a function call"
    return {
        "Subscript": "indexing",
        "Lambda": "lambda",
        "List": "a list",
        "Tuple": "a tuple",
        "Dict": "a dict",
        "Set": "a set",
        "JoinedStr": "an f-string",
        "IfExp": "a conditional expression",
        "NamedExpr": "assignment",
        "ListComp": "a comprehension",
        "GeneratorExp": "a generator",
        "Starred": "unpacking",
        "Await": "await",
    }.get(type(node).__name__, type(node).__name__)
