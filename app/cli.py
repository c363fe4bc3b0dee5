"""Commands behind ``flask ...``: migrate, seed, worker, and the groups audit, keys, intake, staff and
push. Plain click, no Flask imports."""

from __future__ import annotations

import os
import sys

import click

# Modules with a ``seed() -> None`` that loads idempotent demo data, in order.
SEEDERS: tuple[str, ...] = ("app.staff.demo", "app.people.demo", "app.certificates.demo", "app.entities.demo",
                         "app.licences.demo", "app.oidc.demo", "app.halls.demo")


def register_commands(group: click.Group) -> None:
    for command in (migrate, seed, worker, audit, keys, intake, staff, push, oidc, ratings, opendata):
        group.add_command(command)


@click.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from app.migrate import DatabaseUnreachable, upgrade

    try:
        upgrade()
    except DatabaseUnreachable as error:  # one clear line, not the driver's traceback
        raise click.ClickException(str(error)) from None
    click.echo("database is up to date")


def seed_demo_data() -> None:
    import importlib

    for name in SEEDERS:
        importlib.import_module(name).seed()


@click.command()
def seed() -> None:
    """Load demo data (safe to run again)."""
    seed_demo_data()
    click.echo("demo data is loaded")


@click.command()
@click.option("--processes", default=1, show_default=True)
@click.option("--threads", default=4, show_default=True)
def worker(processes: int, threads: int) -> None:
    """Run background job workers (Dramatiq)."""
    argv = [sys.executable, "-m", "dramatiq", "app.worker",
            "--processes", str(processes), "--threads", str(threads)]
    os.execv(sys.executable, argv)


@click.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Check the keyed audit chain against its signed checkpoints; names what is wrong, exits 1 then."""
    from app.audit.log import verify_chain

    report = verify_chain()
    if report.ok:
        click.echo(f"audit chain intact: {report.checked} entries, {report.checkpoints} checkpoints agree")
        return
    if report.first_broken_id is not None:
        click.echo(f"audit chain broken at entry {report.first_broken_id}: {report.reason} "
                   f"({report.checked} entries intact before it)", err=True)
    for problem in report.problems:
        click.echo(f"- {problem}", err=True)
    raise SystemExit(1)


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Append a signed checkpoint of the chain's head to the checkpoint file now."""
    from app.audit.checkpoints import checkpoint_file, write_checkpoint

    mark = write_checkpoint()
    if mark is None:
        click.echo("the chain has not moved since the last checkpoint")
        return
    click.echo(f"checkpoint {mark.number}: {mark.count} entries, head {mark.head[:16]}… -> {checkpoint_file()}")


@click.group()
def keys() -> None:
    """Encryption keys."""


@keys.command("reencrypt")
def keys_reencrypt() -> None:
    """Re-encrypt personal data still under an older key with the current one."""
    from app.security.rotation import reencrypt_all

    for table, count in reencrypt_all().items():
        click.echo(f"{table}: {count} rows re-encrypted")


@click.group()
def intake() -> None:
    """Issuing authorities."""


@intake.command("register-authority")
@click.option("--id", "authority_id", required=True, help="e.g. gd-public-security")
@click.option("--name", required=True, help="e.g. 广东省公安厅")
@click.option("--types", required=True, help="comma-separated record types it may write, and each certificate "
              "or licence type it issues: person,life_event,certificate:resident_id_card,licence:<code>")
def intake_register(authority_id: str, name: str, types: str) -> None:
    """Register an authority and print its secret (shown this once only)."""
    from app.errors import AppError
    from app.intake.authorities import register_authority

    try:
        secret = register_authority(authority_id, name, [t.strip() for t in types.split(",") if t.strip()])
    except AppError as error:
        raise click.ClickException(f"{error.code}: {error.message} {error.details or ''}") from None
    click.echo(f"authority {authority_id} registered; its secret (shown once, store it now):")
    click.echo(secret)


@click.group()
def staff() -> None:
    """Staff accounts."""


@staff.command("create-admin")
@click.option("--username", required=True)
@click.option("--display-name", required=True, help="shown to residents, e.g. 系统管理员")
@click.option("--department", "departments", multiple=True, help="department code, e.g. gd-gat (repeatable)")
def staff_create_admin(username: str, display_name: str, departments: tuple[str, ...]) -> None:
    """Create an admin; prints a generated password and the TOTP provisioning URI (shown once)."""
    import secrets

    from app.staff.accounts import create_staff
    from app.staff.models import ADMIN

    password = secrets.token_urlsafe(18)
    created = create_staff(username, display_name, ADMIN, password, department_codes=list(departments))
    click.echo(f"admin {username} created (id {created.staff.id}); shown once, store them now:")
    click.echo(f"password: {password}")
    click.echo(f"TOTP (scan in an authenticator app): {created.provisioning_uri}")


@staff.command("unlock")
@click.option("--username", required=True)
def staff_unlock(username: str) -> None:
    """Lift a staff member's login lockout."""
    from app.audit.log import SYSTEM
    from app.staff.accounts import find_by_username, unlock

    member = find_by_username(username)
    if member is None:
        raise click.ClickException(f"no staff member {username}")
    unlock(member.id, SYSTEM)
    click.echo(f"{username} unlocked")


@click.group()
def push() -> None:
    """Proactive push."""


@push.command("scan")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="the Asia/Shanghai day to evaluate (default: today)")
@click.option("--inline", is_flag=True, help="run the batches here instead of enqueuing them for the workers")
def push_scan(day, inline: bool) -> None:
    """Evaluate every date-window rule for a day: one job per id-range batch (each notification once)."""
    from app.push import scans

    today = day.date() if day else None
    if inline:
        click.echo(f"{scans.scan_now(today)} notifications written")
        return
    click.echo(f"{len(scans.plan_scan(today))} batches enqueued")


@click.group()
def oidc() -> None:
    """Department apps that log residents in with yss (OpenID Connect clients)."""


def _claim_purposes(values: tuple[str, ...]) -> dict[str, str]:
    pairs = [v.partition("=") for v in values]
    return {name.strip(): purpose for name, _, purpose in pairs}


@oidc.command("register-client")
@click.option("--name", required=True, help="the app's name residents see, e.g. 广州交警")
@click.option("--department", required=True, help="e.g. 广州市公安局交通警察支队")
@click.option("--redirect-uri", "redirect_uris", multiple=True, required=True, help="exact callback URL (repeatable)")
@click.option("--claim", "claims", multiple=True, help="required claim and its purpose: name=核对办理人身份")
@click.option("--optional-claim", "optional_claims", multiple=True, help="a claim the resident may decline")
@click.option("--min-level", default=0, type=int, help="lowest assurance level (0-3) it accepts")
@click.option("--public", is_flag=True, help="a public client (no secret; PKCE only), e.g. a single-page app")
@click.option("--logo-text", default=None, help="two or three characters shown as its logo")
@click.option("--client-id", default=None, help="chosen id (default: generated)")
def oidc_register_client(name: str, department: str, redirect_uris: tuple[str, ...], claims: tuple[str, ...],
                         optional_claims: tuple[str, ...], min_level: int, public: bool, logo_text: str | None,
                         client_id: str | None) -> None:
    """Register a department app; prints its client_id and secret (the secret is shown this once only)."""
    from app.errors import AppError
    from app.oidc.clients import register_client

    try:
        registered = register_client(name=name, department=department, redirect_uris=list(redirect_uris),
                                     claims=_claim_purposes(claims), optional_claims=_claim_purposes(optional_claims),
                                     public=public, min_level=min_level, logo_text=logo_text, client_id=client_id)
    except AppError as error:
        raise click.ClickException(f"{error.message} {error.details or ''}".strip()) from error
    click.echo(f"client_id: {registered.client.client_id}")
    if registered.client_secret:
        click.echo("client_secret (shown once, store it now):")
        click.echo(registered.client_secret)
    else:
        click.echo("public client: no secret; it must use PKCE (S256)")


@click.group()
def ratings() -> None:
    """好差评."""


@ratings.command("report")
@click.option("--month", required=True, help="YYYY-MM, a calendar month in Asia/Shanghai")
@click.option("--out", "directory", default="reports", show_default=True, type=click.Path(file_okay=False),
              help="where to write evaluation-YYYY-MM.csv and .pdf")
def ratings_report(month: str, directory: str) -> None:
    """Write the monthly evaluation per department (按评价付费) as CSV and PDF; figures as the open dataset's."""
    from pathlib import Path

    from app.errors import ValidationFailed
    from app.opendata.report import write_report

    try:
        report = write_report(month, Path(directory))
    except ValidationFailed as error:
        raise click.BadParameter(error.message, param_hint="--month") from None
    click.echo(f"{len(report.rows)} departments: {report.csv_path} {report.pdf_path}")


@click.group()
def opendata() -> None:
    """Open data."""


@opendata.command("publish")
def opendata_publish() -> None:
    """Rebuild every open dataset now (the scheduler does it hourly)."""
    from app.opendata.publish import publish_all

    for code, count in publish_all().items():
        click.echo(f"{code}: {count} rows")
