"""Skip conditions (`relevant`) and constraints of a form: the XLSForm expression subset
Aimak evaluates, on the server and in the phone form alike.

An expression is parsed once, here, into a small tree of JSON lists; the server evaluates
the tree with `evaluate` and the interview form (static/js/interview.js) evaluates the same
tree, sent with the form, so the two can never read an expression differently.

The subset is what report-card forms use (XPath 1.0 as ODK reads it):

    literals      'text'  "text"  12  3.5  true()  false()
    references    ${name}   .   (the question itself, in a constraint)
    operators     or and = != < <= > >= + - * div mod  unary -  ( )
    functions     not selected count-selected string-length today number int string
                  concat if coalesce contains starts-with ends-with regex round
                  min max

Anything else (paths, jr:choice-name, pulldata, …) is refused by `expression_compile`,
which `publish_errors` calls, so a published form only holds expressions Aimak evaluates.

Trees: ["lit", value] · ["ref", name] · ["self"] · ["op", op, a, b] · ["neg", a] ·
["fn", name, arg, …].
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from django.utils.translation import gettext as _

Node = list[Any]

FUNCTIONS: dict[str, tuple[int, int]] = {  # name: (fewest, most) arguments
    "not": (1, 1),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "today": (0, 0),
    "number": (1, 1),
    "int": (1, 1),
    "string": (1, 1),
    "concat": (1, 99),
    "if": (3, 3),
    "coalesce": (2, 2),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "regex": (2, 2),
    "round": (1, 2),
    "min": (1, 99),
    "max": (1, 99),
    "true": (0, 0),
    "false": (0, 0),
}
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'[^']*'|"[^"]*")
      | (?P<number>\d+(?:\.\d*)?|\.\d+)
      | (?P<ref>\$\{\s*(?P<refname>[^}]*?)\s*\})
      | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
      | (?P<name>[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)
      | (?P<dot>\.)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)


class ExpressionError(ValueError):
    """An expression Aimak cannot read; the message is in the user's language."""


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # only trailing spaces are left
            break
        position = match.end()
        kind = match.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        if kind == "bad":
            raise ExpressionError(_("“%(char)s” cannot be read here") % {"char": match["bad"]})
        if kind == "ref":
            tokens.append(("ref", match["refname"]))
        else:
            tokens.append((kind, match[kind]))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(_("the expression ends too early"))
        self.i += 1
        return token

    def accept(self, *values: str) -> str | None:
        token = self.peek()
        if token and token[0] in ("op", "name") and token[1] in values:
            self.i += 1
            return token[1]
        return None

    def expect(self, value: str) -> None:
        if not self.accept(value):
            raise ExpressionError(_("“%(token)s” is missing") % {"token": value})

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            raise ExpressionError(
                _("“%(token)s” is not expected here") % {"token": self.tokens[self.i][1]}
            )
        return node

    def binary(self, operators: tuple[str, ...], operand: Any) -> Node:
        node = operand()
        while (op := self.accept(*operators)) is not None:
            node = ["op", op, node, operand()]
        return node

    def or_expr(self) -> Node:
        return self.binary(("or",), self.and_expr)

    def and_expr(self) -> Node:
        return self.binary(("and",), self.comparison)

    def comparison(self) -> Node:
        return self.binary(COMPARISONS, self.additive)

    def additive(self) -> Node:
        return self.binary(("+", "-"), self.multiplicative)

    def multiplicative(self) -> Node:
        return self.binary(("*", "div", "mod"), self.unary)

    def unary(self) -> Node:
        if self.accept("-"):
            return ["neg", self.unary()]
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "string":
            return ["lit", value[1:-1]]
        if kind == "number":
            number = float(value)
            return ["lit", int(number) if number.is_integer() and "." not in value else number]
        if kind == "ref":
            return ["ref", value]
        if kind == "dot":
            return ["self"]
        if kind == "op" and value == "(":
            node = self.or_expr()
            self.expect(")")
            return node
        if kind == "name":
            if value not in FUNCTIONS:
                raise ExpressionError(
                    _("the function or path “%(name)s” is not supported by Aimak's form")
                    % {"name": value}
                )
            self.expect("(")
            args: list[Node] = []
            if not self.accept(")"):
                args.append(self.or_expr())
                while self.accept(","):
                    args.append(self.or_expr())
                self.expect(")")
            fewest, most = FUNCTIONS[value]
            if not fewest <= len(args) <= most:
                raise ExpressionError(
                    _("%(name)s() does not take %(count)s arguments")
                    % {"name": value, "count": len(args)}
                )
            if value == "true":
                return ["lit", True]
            if value == "false":
                return ["lit", False]
            return ["fn", value, *args]
        raise ExpressionError(_("“%(token)s” is not expected here") % {"token": value})


def expression_compile(text: str) -> Node | None:
    """The tree of `text`, or None for an empty expression; ExpressionError if unreadable."""
    if not text or not text.strip():
        return None
    return _Parser(text).parse()


def expression_references(node: Node | None) -> set[str]:
    if node is None:
        return set()
    if node[0] == "ref":
        return {node[1]}
    found: set[str] = set()
    for part in node[1:]:
        if isinstance(part, list):
            found |= expression_references(part)
    return found


# Evaluation (XPath 1.0 conversions) ------------------------------------------------------


def _string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(_string(value).strip())
    except ValueError:
        return math.nan


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not (value == 0 or math.isnan(value))
    return bool(_string(value))


def _compare(op: str, a: Any, b: Any) -> bool:
    if op in ("=", "!="):
        if isinstance(a, bool) or isinstance(b, bool):
            equal = _boolean(a) == _boolean(b)
        elif isinstance(a, int | float) or isinstance(b, int | float):
            equal = _number(a) == _number(b)
        else:
            equal = _string(a) == _string(b)
        return equal if op == "=" else not equal
    x, y = _number(a), _number(b)
    if math.isnan(x) or math.isnan(y):
        return False
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def _arith(op: str, a: Any, b: Any) -> float:
    x, y = _number(a), _number(b)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "div":
        return x / y if y else (math.nan if x == 0 or math.isnan(x) else math.copysign(math.inf, x))
    return math.fmod(x, y) if y else math.nan


def _selected(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return _string(value).split()


def evaluate(node: Node | None, answers: dict[str, Any], current: Any = None) -> Any:
    """The value of a tree, given the answers so far (a missing answer is empty)."""
    if node is None:
        return True
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "ref":
        return answers.get(node[1])
    if kind == "self":
        return current
    if kind == "neg":
        return -_number(evaluate(node[1], answers, current))
    if kind == "op":
        op = node[1]
        if op == "or":
            return _boolean(evaluate(node[2], answers, current)) or _boolean(
                evaluate(node[3], answers, current)
            )
        if op == "and":
            return _boolean(evaluate(node[2], answers, current)) and _boolean(
                evaluate(node[3], answers, current)
            )
        a, b = evaluate(node[2], answers, current), evaluate(node[3], answers, current)
        if op in COMPARISONS:
            return _compare(op, a, b)
        return _arith(op, a, b)
    name = node[1]
    args = [evaluate(arg, answers, current) for arg in node[2:]]
    if name == "not":
        return not _boolean(args[0])
    if name == "selected":
        return _string(args[1]).strip() in _selected(args[0])
    if name == "count-selected":
        return len(_selected(args[0]))
    if name == "string-length":
        return len(_string(args[0]))
    if name == "today":
        return datetime.date.today().isoformat()
    if name == "number":
        return _number(args[0])
    if name == "int":
        number = _number(args[0])
        return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))
    if name == "string":
        return _string(args[0])
    if name == "concat":
        return "".join(_string(a) for a in args)
    if name == "if":
        return args[1] if _boolean(args[0]) else args[2]
    if name == "coalesce":
        return args[0] if _string(args[0]) else args[1]
    if name == "contains":
        return _string(args[1]) in _string(args[0])
    if name == "starts-with":
        return _string(args[0]).startswith(_string(args[1]))
    if name == "ends-with":
        return _string(args[0]).endswith(_string(args[1]))
    if name == "regex":
        try:
            return re.search(_string(args[1]), _string(args[0])) is not None
        except re.error:
            return False
    if name == "round":
        number = _number(args[0])
        places = int(_number(args[1])) if len(args) > 1 else 0
        if math.isnan(number):
            return number
        factor = 10**places
        return math.floor(number * factor + 0.5) / factor
    if name in ("min", "max"):
        numbers = [_number(a) for a in args]
        if any(math.isnan(n) for n in numbers):
            return math.nan
        return min(numbers) if name == "min" else max(numbers)
    raise ExpressionError(name)  # pragma: no cover - the parser refuses unknown functions


def is_true(node: Node | None, answers: dict[str, Any], current: Any = None) -> bool:
    return _boolean(evaluate(node, answers, current))
