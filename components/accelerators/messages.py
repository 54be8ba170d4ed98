"""The GPU catalog's messages: what is wrong with a requested accelerator and which alternatives exist.

Every message is complete and user-facing: the counts a cloud offers, other GPUs of the same cloud with enough
memory, the other cloud. The data comes from :mod:`components.accelerators.data`.
"""

from __future__ import annotations

import difflib
import re

from .data import _ROWS, DEFAULT_SAGEMAKER_CPU_INSTANCE, DEFAULT_VERTEX_CPU_MACHINE, KNOWN_ACCELERATORS, Accelerator


class AcceleratorError(ValueError):
    """A requested accelerator/count is unknown or not offered by a cloud.

    ``str(e)`` is a complete, user-facing message: what is wrong and how to fix it (alternatives).
    """


_SAGEMAKER = "SageMaker"
_VERTEX = "Vertex AI"
_MAX_SUGGESTIONS = 3
_NUMBER_WORDS = {1: "one", 2: "two", 4: "four", 8: "eight", 16: "sixteen"}


def _did_you_mean(key: str) -> list[str]:
    """Known names close to ``key``: substring matches (``a100``, shortest first), else fuzzy matches."""
    found: list[str] = []
    bare = key.removeprefix("nvidia-")
    if len(bare) >= 2:
        found.extend(sorted((n for n in KNOWN_ACCELERATORS if bare in n.removeprefix("nvidia-")), key=len))
        found.extend(n for n in KNOWN_ACCELERATORS if n.removeprefix("nvidia-") in bare)
    if not found and bare:
        found.extend(difflib.get_close_matches(key, KNOWN_ACCELERATORS, n=_MAX_SUGGESTIONS, cutoff=0.85))
        by_bare = {n.removeprefix("nvidia-"): n for n in KNOWN_ACCELERATORS}
        found.extend(by_bare[b] for b in difflib.get_close_matches(bare, by_bare, n=_MAX_SUGGESTIONS, cutoff=0.6))
    return list(dict.fromkeys(found))[:_MAX_SUGGESTIONS]


def _check_count(accelerator: Accelerator, count: object) -> None:
    """Reject counts that are not positive integers (``bool`` is not a count)."""
    if isinstance(count, int) and not isinstance(count, bool) and count >= 1:
        return
    offers = "; ".join(
        f"{cloud}: {_counts_list(list(_offers(accelerator, cloud)))}"
        for cloud in (_SAGEMAKER, _VERTEX)
        if _offers(accelerator, cloud)
    )
    raise AcceleratorError(
        f"invalid GPU count {count!r} for {accelerator.name}: the count must be a positive integer "
        f"(offered counts - {offers}). To deploy on CPU only, leave the accelerator out (defaults: "
        f"{DEFAULT_SAGEMAKER_CPU_INSTANCE} on {_SAGEMAKER}, {DEFAULT_VERTEX_CPU_MACHINE} on {_VERTEX})."
    )


def _offers(accelerator: Accelerator, cloud: str) -> dict[int, str]:
    """GPU count -> instance/machine type of ``accelerator`` on ``cloud``."""
    if cloud == _SAGEMAKER:
        return dict(accelerator.sagemaker)
    return {count: machine.machine_type for count, machine in accelerator.vertex.items()}


def _other(cloud: str) -> str:
    return _VERTEX if cloud == _SAGEMAKER else _SAGEMAKER


def _noun(cloud: str) -> str:
    return "instance type" if cloud == _SAGEMAKER else "machine type"


def _word(count: int) -> str:
    return _NUMBER_WORDS.get(count, str(count))


def _gpus(count: int) -> str:
    return f"{count} GPU" if count == 1 else f"{count} GPUs"


def _counts_list(counts: list[int]) -> str:
    return ", ".join(str(c) for c in sorted(counts))


def _quoted_or(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _family(accelerator: Accelerator) -> str:
    """Variant family of a GPU: ``nvidia-a100-40gb`` and ``nvidia-a100-80gb`` are both ``nvidia-a100``."""
    return re.sub(r"-\d+gb$", "", accelerator.name)


def _family_label(accelerator: Accelerator) -> str:
    return _family(accelerator).removeprefix("nvidia-").upper()


def _offered_list(accelerator: Accelerator, cloud: str) -> str:
    """``1 GPU (ml.g4dn.xlarge), 4 GPUs (ml.g4dn.12xlarge)``."""
    return ", ".join(f"{_gpus(c)} ({t})" for c, t in sorted(_offers(accelerator, cloud).items()))


def _only_n_at_a_time(accelerator: Accelerator, cloud: str) -> str | None:
    """``A100 GPUs come only eight at a time on SageMaker, in ...`` when the whole family has one count."""
    members = [a for a in _ROWS if _family(a) == _family(accelerator) and _offers(a, cloud)]
    counts = {c for a in members for c in _offers(a, cloud)}
    if len(counts) != 1:
        return None
    (only,) = counts
    where = " and ".join(f"{_offers(a, cloud)[only]} ({only} x {a.name}, {a.memory_gib} GB each)" for a in members)
    return f"on {cloud}, {_family_label(accelerator)} GPUs come only {_word(only)} at a time, in {where}"


def _memory_alternatives(accelerator: Accelerator, count: int, cloud: str) -> str | None:
    """Other GPUs on ``cloud`` with at least the requested total memory on ``count`` GPUs or fewer.

    For each other accelerator, take the smallest offered count that reaches the memory; rank by total
    memory, then by GPU count. When none reaches it within ``count`` GPUs, name the ones that come
    closest, and the fewest-GPU configurations beyond ``count`` that do reach it (tensor parallelism).
    """
    need = count * accelerator.memory_gib
    reaching: list[tuple[int, int, str, str]] = []  # (total GB, GPUs, name, type), within `count` GPUs
    closest: list[tuple[int, int, str, str]] = []  # the largest config within `count` GPUs, if short
    sharded: list[tuple[int, int, str, str]] = []  # the fewest GPUs reaching `need`, beyond `count`
    for other in _ROWS:
        if other.name == accelerator.name:
            continue
        offers = sorted(_offers(other, cloud).items())
        usable = [(c, t) for c, t in offers if c <= count]
        enough = [(c, t) for c, t in usable if c * other.memory_gib >= need]
        if enough:
            c, t = enough[0]
            reaching.append((c * other.memory_gib, c, other.name, t))
            continue
        if usable:
            c, t = usable[-1]
            closest.append((c * other.memory_gib, c, other.name, t))
        more = [(c, t) for c, t in offers if c > count and c * other.memory_gib >= need]
        if more:
            c, t = more[0]
            sharded.append((c * other.memory_gib, c, other.name, t))

    def describe(total: int, c: int, name: str, instance: str) -> str:
        per_gpu = total // c
        size = f"{per_gpu} GB" if c == 1 else f"{c} x {per_gpu} GB"
        return f"{name} ({size}, {instance})"

    upto = "1 GPU" if count == 1 else f"{count} GPUs or fewer"
    if reaching:
        picks = sorted(reaching)[:_MAX_SUGGESTIONS]
        return f"use another {cloud} GPU with at least {need} GB of GPU memory on {upto}: " + ", ".join(
            describe(*p) for p in picks
        )
    parts: list[str] = []
    if closest:
        picks = sorted(closest, key=lambda p: (-p[0], p[1], p[2]))[:2]
        parts.append(
            f"no other {cloud} GPU reaches {need} GB on {upto}; the closest, if the model fits: "
            + ", ".join(describe(*p) for p in picks)
        )
    if sharded:
        picks = sorted(sharded, key=lambda p: (p[1], p[0], p[2]))[:2]
        lead = "or shard" if parts else f"no other {cloud} GPU reaches {need} GB on {upto}; shard"
        parts.append(f"{lead} the model over more GPUs: " + ", ".join(describe(*p) for p in picks))
    return "; ".join(parts) or None


def _not_offered_message(accelerator: Accelerator, count: int, cloud: str) -> str:
    """The full user-facing message for ``count`` x ``accelerator`` not being offered on ``cloud``."""
    offers = _offers(accelerator, cloud)
    other = _other(cloud)
    other_offers = _offers(accelerator, other)
    options: list[str] = []

    if not offers:
        where = f"it is offered on {other} only ({_offered_list(accelerator, other)})" if other_offers else ""
        head = (
            f"{cloud} does not offer {accelerator.name} ({accelerator.description}, "
            f"{accelerator.memory_gib} GB per GPU) at all" + (f"; {where}." if where else ".")
        )
    else:
        only = _only_n_at_a_time(accelerator, cloud)
        head = f"{cloud} has no {_noun(cloud)} with {_gpus(count)} of {accelerator.name}" + (
            f": {only}." if only else f"; it offers {accelerator.name} with {_offered_list(accelerator, cloud)}."
        )
        above = [c for c in offers if c > count]
        below = [c for c in offers if c < count]
        nearest = ([min(above)] if above else []) + ([max(below)] if below else [])
        options.append(
            "use an offered count: "
            + " or ".join(f"`count: {c}` ({offers[c]})" for c in sorted(nearest))
            + (f"; offered counts: {_counts_list(list(offers))}" if len(offers) > len(nearest) else "")
        )

    alternative = _memory_alternatives(accelerator, count, cloud)
    if alternative:
        options.append(alternative)
    if count in other_offers:
        options.append(f"deploy to {other} instead, which offers {count} x {accelerator.name} as {other_offers[count]}")

    lines = [head, "Options:", *(f"  - {option}" for option in options)]
    return "\n".join(lines)
