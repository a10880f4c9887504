"""Running the checks on a stored order and reconciling their results.

A finding that persists keeps its row, so an acknowledgement stays; a result whose cause is gone
resolves by itself; a new finding opens a row; a resolved one that comes back opens again.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from orders.checks import Finding, checks_run
from orders.checks.snapshot import order_snapshot
from orders.events import Actor, check_acknowledged_event, checks_run_event, events_record
from orders.models import CheckResult, CheckStatus, Order, OrderLine, Severity
from orders.shop_config import ShopConfig


@dataclass
class ChecksDiff:
    findings: list[Finding]
    opened: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.opened or self.resolved)


def open_counts(results: Iterable[CheckResult]) -> tuple[int, int]:
    """(open blockers, open warnings): what stands between the order and its confirmation."""
    blockers = warnings = 0
    for result in results:
        if result.status == CheckStatus.OPEN:
            if result.severity == Severity.BLOCKER:
                blockers += 1
            elif result.severity == Severity.WARNING:
                warnings += 1
    return blockers, warnings


def order_checks_refresh(
    *,
    order: Order,
    actor: Actor,
    lines: Sequence[OrderLine] | None = None,
    config: ShopConfig | None = None,
    existing: Sequence[CheckResult] | None = None,
) -> ChecksDiff:
    """Run every check on ``order`` and store the outcome. The caller holds the order's row lock
    (or created the order in this transaction). Saves the open counts on the order."""
    findings = checks_run(order_snapshot(order, lines=lines, config=config))
    current = {(r.code, r.key): r for r in (existing if existing is not None else order.checks.all())}
    now = timezone.now()
    diff = ChecksDiff(findings=findings)
    new_rows: list[CheckResult] = []
    changed_rows: list[CheckResult] = []

    found: set[tuple[str, str]] = set()
    for finding in findings:
        key = (finding.code, finding.key)
        found.add(key)
        row = current.get(key)
        if row is None:
            row = CheckResult(
                order=order, code=finding.code, key=finding.key, severity=finding.severity, data=finding.data
            )
            current[key] = row
            new_rows.append(row)
            diff.opened.append(finding.code)
            continue
        was_open = row.status == CheckStatus.OPEN
        if _reconcile(row, finding):
            changed_rows.append(row)
            if not was_open and row.status == CheckStatus.OPEN:
                diff.opened.append(finding.code)
    for key, row in current.items():
        if key not in found and row.status != CheckStatus.RESOLVED:
            row.status = CheckStatus.RESOLVED
            row.resolved_at = now
            row.resolved_by = None
            row.note = ""
            changed_rows.append(row)
            diff.resolved.append(row.code)

    if new_rows:
        CheckResult.objects.bulk_create(new_rows)
    if changed_rows:
        for row in changed_rows:
            row.updated_at = now
        CheckResult.objects.bulk_update(
            changed_rows, ["severity", "status", "data", "resolved_at", "resolved_by", "note", "updated_at"]
        )

    blockers, warnings = open_counts(current.values())
    if (order.open_blockers, order.open_warnings) != (blockers, warnings):
        order.open_blockers, order.open_warnings = blockers, warnings
        order.save(update_fields=["open_blockers", "open_warnings", "updated_at"])
    if diff.changed:
        events_record(checks_run_event(order=order, actor=actor, opened=diff.opened, resolved=diff.resolved))
    return diff


def checks_acknowledge(*, order: Order, code: str, rows: Sequence[CheckResult], actor: Actor, note: str) -> int:
    """Mark the open warnings among ``rows`` (all of ``code``) acknowledged by ``actor`` with ``note``,
    bump the order's version and record one event. The caller holds the order's lock. Returns how
    many rows changed (none: nothing is written)."""
    to_save = [row for row in rows if row.status == CheckStatus.OPEN and row.severity != Severity.BLOCKER]
    if not to_save:
        return 0
    now = timezone.now()
    for row in to_save:
        row.status, row.resolved_by, row.resolved_at, row.note = CheckStatus.ACKNOWLEDGED, actor.user, now, note
    CheckResult.objects.bulk_update(to_save, ["status", "resolved_by", "resolved_at", "note"])
    order.open_blockers, order.open_warnings = open_counts(order.checks.all())
    order.version += 1
    order.save(update_fields=["open_blockers", "open_warnings", "version", "updated_at"])
    events_record(
        check_acknowledged_event(order=order, actor=actor, code=code, keys=[row.key for row in to_save], note=note)
    )
    return len(to_save)


def _reconcile(row: CheckResult, finding: Finding) -> bool:
    """Bring a stored result in line with a finding that still holds; True when it changed."""
    changed = False
    if row.status == CheckStatus.RESOLVED:
        row.status = CheckStatus.OPEN
        row.resolved_at = None
        row.resolved_by = None
        row.note = ""
        changed = True
    if row.severity != finding.severity:
        row.severity = finding.severity
        if row.status == CheckStatus.ACKNOWLEDGED and finding.severity == Severity.BLOCKER:
            # A blocker cannot stay acknowledged: it must be fixed.
            row.status = CheckStatus.OPEN
            row.resolved_at = None
            row.resolved_by = None
        changed = True
    if row.data != finding.data:
        row.data = finding.data
        changed = True
    return changed
