from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdept import permissions, pickers
from opsdept.errors import DomainError
from opsdept.models import Employee
from opsdept.templatetags.opsdept_tags import yuan
from opsdept.web import (apply_domain_error, blocktranslated, get_for_action_or_404, id_from_request, number_display, people_page,
                         require_action, requires, year_from_request)

from . import policy, selectors, services, summary
from .forms import (
    FlagExplanationForm,
    AppealDecisionForm, AppealForm, CampaignMissForm, DismissFlagForm, PublishPolicyForm, ReasonForm,
    RecordForm,
    RuleConfigForm, SettingsForm,
)
from .filters import AppealFilter, FlagFilter, RecordFilter
from .models import MONEY_KINDS, Appeal, DisciplineSettings, Flag, FlagExplanation, PolicyAcknowledgement, PolicyVersion, Record, Rule


# ---------------------------------------------------------------- flags

def flag_list(request: HttpRequest) -> HttpResponse:
    """The review queue for supervisors; everyone else sees their own flags."""
    review = permissions.can(request.user, "flag.review")
    if review:  # the open ones by default; the filter's status reaches the team's decided flags too
        found = FlagFilter(request.GET, queryset=selectors.team_flags_for_review(request.user),
                           defaults={"status": Flag.Status.OPEN})
    else:
        found = FlagFilter(request.GET or None, queryset=selectors.flags_visible_to(request.user))
    page = Paginator(found.qs, 50).get_page(request.GET.get("page"))
    return render(request, "discipline/flag_list.html", {"page": page, "review": review, "form": DismissFlagForm(),
                                                         "filter": found, "query": found.query})


def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_for_action_or_404(request, Flag.objects.select_related("employee", "rule", "decided_by"), pk=pk)
    return render(request, "discipline/flag_detail.html", {
        "flag": flag,
        "can_review": permissions.can(request.user, "flag.review", flag),
        "can_explain": permissions.can(request.user, "flag.explain", flag),
        "form": DismissFlagForm(),
        "explain_form": FlagExplanationForm(),
        "explanation": FlagExplanation.objects.filter(flag=flag).first(),
        "explain_by": services.explanation_deadline(flag),
        "record": Record.objects.filter(source_flag=flag).first(),
    })


@require_POST
def flag_explain(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_for_action_or_404(request, Flag.objects.select_related("employee"), "flag.explain", pk=pk)
    form = FlagExplanationForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Say what happened."))
        return redirect("discipline:flag_detail", pk=flag.pk)
    try:
        services.write_flag_explanation(flag.pk, actor=request.user, text=form.cleaned_data["text"],
                                        attachment=form.cleaned_data["attachment"])
        messages.success(request, _("Your explanation was sent to your supervisor."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("discipline:flag_detail", pk=flag.pk)


@require_POST
def flag_accept(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_for_action_or_404(request, Flag.objects.select_related("employee"), "flag.review", pk=pk)
    try:
        services.accept_flag_explanation(flag.pk, actor=request.user)
        messages.success(request, _("Flag dismissed with the explanation accepted."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("discipline:flag_detail", pk=flag.pk)


def flag_explanation_file(request: HttpRequest, pk: int) -> FileResponse:
    """The explanation's attachment, only to those who may see its flag."""
    flag = get_for_action_or_404(request, Flag.objects.select_related("employee"), pk=pk)
    explanation = FlagExplanation.objects.filter(flag=flag).exclude(file="").first()
    if explanation is None:
        raise Http404
    try:
        handle = explanation.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=explanation.content_type, filename=explanation.original_name,
                            as_attachment=explanation.content_type == "application/pdf")
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response


@require_POST
def flag_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_for_action_or_404(request, Flag.objects.select_related("employee"), "flag.review", pk=pk)
    form = DismissFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for dismissing the flag."))
        return redirect("discipline:flag_detail", pk=flag.pk)
    try:
        services.dismiss_flag(flag.pk, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Flag dismissed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("discipline:flag_list")


def flag_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn an open flag into a record (the flag becomes 'penalised' and links to it)."""
    flag = get_for_action_or_404(request, Flag.objects.select_related("employee", "rule"), "flag.review", pk=pk)
    if flag.status != Flag.Status.OPEN:
        messages.info(request, _("This flag has already been reviewed."))
        return redirect("discipline:flag_detail", pk=flag.pk)
    team = Employee.objects.filter(pk=flag.employee_id)
    initial = {"employee": flag.employee, "rule": flag.rule_id,
               "evidence": flag.details or f"{flag.date:%Y-%m-%d} {flag.rule.display_title}"}
    return _record_form(request, team=team, initial=initial, flag=flag)


# ---------------------------------------------------------------- records

def record_list(request: HttpRequest) -> HttpResponse:
    found = RecordFilter(request.GET or None, queryset=selectors.records_visible_to(request.user))
    page = Paginator(found.qs, 50).get_page(request.GET.get("page"))
    return render(request, "discipline/record_list.html", {
        "page": page, "may_issue": permissions.can(request.user, "record.issue"), "filter": found, "query": found.query,
        "show_filters": permissions.can(request.user, "flag.review") or permissions.sees_everyone(request.user),
    })


@requires("record.issue")
def record_create(request: HttpRequest) -> HttpResponse:
    team = pickers.people_for("discipline-record", request.user)
    initial: dict = {}
    employee_id = id_from_request(request, "employee") if request.method == "GET" else None
    if employee_id is not None:
        employee = get_for_action_or_404(request, Employee.objects.all(), "record.issue", employee_field="pk",
                                         pk=employee_id)
        initial["employee"] = employee
    if request.method == "GET" and request.GET.get("rule"):
        rule = Rule.objects.filter(code=request.GET["rule"], is_active=True).first()
        if rule is not None:
            initial["rule"] = rule.pk
    return _record_form(request, team=team, initial=initial, flag=None)


def _record_form(request: HttpRequest, *, team, initial: dict, flag: Flag | None) -> HttpResponse:
    refresh_url = request.path
    if request.htmx and request.method == "GET":
        # The rule or kind changed: answer the rule's kinds, range and clause for what is chosen so far.
        chosen = {name: request.GET.get(name, "") for name in ("employee", "rule", "kind", "amount", "evidence", "token")}
        form = RecordForm(team=team, initial={**initial, **{key: value for key, value in chosen.items() if value}},
                          refresh_url=refresh_url, me=permissions.employee_of(request.user))
        return render(request, "discipline/_record_rule_fields.html", {"form": form})
    form = RecordForm(request.POST or None, team=team, initial=initial, refresh_url=refresh_url,
                      me=permissions.employee_of(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record, created = services.issue_record(
                data["employee"].pk, actor=request.user, rule_id=data["rule"].pk, kind=data["kind"],
                amount=data["amount"], evidence=data["evidence"], token=data["token"],
                flag_id=flag.pk if flag is not None else None,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if created:
                messages.success(request, _("Record issued."))
            else:
                messages.info(request, _("This form was already submitted; the record was issued once."))
            return redirect("discipline:record_detail", pk=record.pk)
    rules = selectors.rules_in_policy_order(active_only=True)
    return render(request, "discipline/record_form.html", {"form": form, "flag": flag, "rules": rules})


def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_for_action_or_404(request, selectors.records_visible_to(request.user), pk=pk)
    standing = selectors.record_standing(request.user, record)
    return render(request, "discipline/record_detail.html", {
        "record": record, "appeal": standing.appeal, "reversal": standing.reversal, "deadline": standing.deadline,
        "can_appeal": standing.can_appeal, "appeal_closed": standing.appeal_closed, "can_reverse": standing.can_reverse,
        "replacements": record.replacements.select_related("issued_by"),
        "appeal_form": AppealForm(), "reverse_form": ReasonForm(),
    })


@require_POST
def record_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_for_action_or_404(request, Record.objects.select_related("employee"), "record.reverse", pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the correction."))
        return redirect("discipline:record_detail", pk=record.pk)
    try:
        reversal = services.reverse_record(record.pk, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("discipline:record_detail", pk=record.pk)
    messages.success(request, _("The record was reversed by a correcting record."))
    return redirect("discipline:record_detail", pk=reversal.reverses_id)


@require_POST
def record_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_for_action_or_404(request, Record.objects.select_related("employee"), "record.appeal", pk=pk)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for your appeal."))
        return redirect("discipline:record_detail", pk=record.pk)
    try:
        appeal = services.file_appeal(record.pk, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("discipline:record_detail", pk=record.pk)
    messages.success(request, _("Your appeal was filed; the manager decides it."))
    return redirect("discipline:appeal_detail", pk=appeal.pk)


# ---------------------------------------------------------------- appeals

def appeal_list(request: HttpRequest) -> HttpResponse:
    found = AppealFilter(request.GET or None, queryset=selectors.appeals_visible_to(request.user))
    page = Paginator(found.qs, 50).get_page(request.GET.get("page"))
    return render(request, "discipline/appeal_list.html", {
        "page": page, "filter": found, "query": found.query, "money_kinds": MONEY_KINDS,
        "decidable": set(selectors.appeals_to_decide(request.user).values_list("pk", flat=True)),
    })


def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # appeals_visible_to is already per user: the reporting tree and those routed to them (deputy, escalation)
    appeal = get_object_or_404(selectors.appeals_visible_to(request.user), pk=pk)
    can_decide = appeal.status == Appeal.Status.PENDING and permissions.can(request.user, "appeal.decide", appeal)
    return render(request, "discipline/appeal_detail.html", {
        "appeal": appeal, "record": appeal.record, "can_decide": can_decide,
        "form": AppealDecisionForm(), "money": appeal.record.kind in MONEY_KINDS,
        "replacement": appeal.record.replacements.first(),
    })


@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(selectors.appeals_visible_to(request.user), pk=pk)
    require_action(request, "appeal.decide", appeal)
    form = AppealDecisionForm(request.POST)
    if request.htmx:
        return _decide_appeal_in_list(request, appeal, form)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_appeal(appeal.pk, actor=request.user, outcome=data["outcome"], reason=data["reason"],
                                   new_amount=data["new_amount"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The appeal was decided and the employee notified."))
            return redirect("discipline:appeal_detail", pk=appeal.pk)
    return render(request, "discipline/appeal_detail.html", {
        "appeal": appeal, "record": appeal.record, "can_decide": True, "form": form,
        "money": appeal.record.kind in MONEY_KINDS, "replacement": None,
    })


def _decide_appeal_in_list(request: HttpRequest, appeal: Appeal, form: AppealDecisionForm) -> HttpResponse:
    """Uphold or revoke from the appeal's row of the list; the row answers in place, decided or with why not."""
    error_message = ""
    if not form.is_valid():
        error_message = (_("Give the reason for the decision.") if "reason" in form.errors
                         else _("Choose uphold, reduce or revoke."))
    else:
        try:
            services.decide_appeal(appeal.pk, actor=request.user, outcome=form.cleaned_data["outcome"],
                                   reason=form.cleaned_data["reason"], new_amount=form.cleaned_data["new_amount"])
        except DomainError as error:
            error_message = error.message
    return render(request, "discipline/_appeal_row.html", {
        "appeal": selectors.appeals_visible_to(request.user).get(pk=appeal.pk), "decidable": {appeal.pk},
        "money_kinds": MONEY_KINDS, "error": error_message, "note": form.data.get("reason", ""),
        "done": "" if error_message else _("The appeal was decided and the employee notified."),
    })


# ---------------------------------------------------------------- notice board (通报)

def notice_board(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notice_board(), 30).get_page(request.GET.get("page"))
    return render(request, "discipline/notice_board.html", {"page": page})


# ---------------------------------------------------------------- campaign misses (rule 2)

@requires("campaign_miss.record")
def campaign_miss_list(request: HttpRequest) -> HttpResponse:
    team = pickers.people_for("discipline-campaign-miss", request.user)
    form = CampaignMissForm(request.POST or None, team=team, me=permissions.employee_of(request.user),
                            initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_campaign_miss(data["employee"].pk, actor=request.user, campaign=data["campaign"],
                                          day=data["date"], note=data["note"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Campaign miss recorded."))
            return redirect("discipline:campaign_miss_list")
    misses = selectors.campaign_misses_visible_to(request.user)
    page = Paginator(misses, 50).get_page(request.GET.get("page"))
    return render(request, "discipline/campaign_miss_list.html", {"form": form, "page": page})


# ---------------------------------------------------------------- rules and settings (HR)

def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "discipline/rule_list.html", {
        "rules": selectors.rules_in_policy_order(), "may_configure": permissions.can(request.user, "discipline.configure"),
        "settings": DisciplineSettings.current(),
    })


@requires("discipline.configure")
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(Rule, pk=pk)
    if rule.number is not None:
        messages.info(request, _("The policy sets this rule's kinds and range; change the policy to change them."))
        return redirect("discipline:rule_list")
    form = RuleConfigForm(request.POST or None, initial={
        "allowed_kinds": rule.allowed_kinds, "min_amount": rule.min_amount, "max_amount": rule.max_amount,
        "is_active": rule.is_active,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.configure_rule(rule.pk, actor=request.user, allowed_kinds=data["allowed_kinds"],
                                    min_amount=data["min_amount"], max_amount=data["max_amount"], is_active=data["is_active"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("discipline:rule_list")
    return render(request, "discipline/rule_form.html", {"form": form, "rule": rule})


@requires("discipline.configure")
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = DisciplineSettings.current()
    form = SettingsForm(request.POST or None, initial={"appeal_window_days": current.appeal_window_days,
                                                       "flag_review_workdays": current.flag_review_workdays})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_discipline_settings(actor=request.user, appeal_window_days=form.cleaned_data["appeal_window_days"],
                                                flag_review_workdays=form.cleaned_data["flag_review_workdays"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("discipline:rule_list")
    return render(request, "discipline/settings_form.html", {"form": form})


# ---------------------------------------------------------------- the policy handbook

def policy_handbook(request: HttpRequest) -> HttpResponse:
    citing: dict[str, list[Rule]] = {}
    for rule in Rule.objects.exclude(clause=""):
        citing.setdefault(rule.clause, []).append(rule)
    version = PolicyVersion.current()
    return render(request, "discipline/policy.html", {
        "chapters": policy.by_chapter(), "duplicates": policy.near_duplicates(), "citing": citing, "version": version,
        "to_sign": selectors.pending_policy_version(permissions.employee_of(request.user)),
        "text_changed": version is not None and version.text_sha256 != policy.text_sha256(),
        "may_publish": permissions.can(request.user, "policy.publish"),
        "may_see_acknowledgements": permissions.can(request.user, "policy.acknowledgements"),
        "publish_form": PublishPolicyForm(),
    })


@require_POST
@requires("policy.publish")
def policy_publish(request: HttpRequest) -> HttpResponse:
    form = PublishPolicyForm(request.POST)
    if form.is_valid():
        try:
            services.publish_policy_version(actor=request.user, label=form.cleaned_data["label"], note=form.cleaned_data["note"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The version was published; everyone is asked to acknowledge it."))
    else:
        messages.error(request, _("Name the version."))
    return redirect("discipline:policy")


@require_POST
def policy_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, pk=pk)
    try:
        services.acknowledge_policy(version.pk, actor=request.user, chapters_read=request.POST.getlist("read"))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('discipline:policy')}#sign")
    else:
        messages.success(request, _("Thank you: you acknowledged the policy handbook %(version)s.") % {"version": version.label})
    return redirect("discipline:policy")


@requires("policy.acknowledgements")
def policy_acknowledgements(request: HttpRequest) -> HttpResponse:
    version = PolicyVersion.current()
    missing = people_page(request, selectors.unacknowledged_employees(version) if version else Employee.objects.none(),
                          page_param="missing_page")
    acknowledged = people_page(request, version.acknowledgements.select_related("employee").order_by("employee__employee_no")
                               if version else PolicyAcknowledgement.objects.none(), person="employee__", page_param="page")
    return render(request, "discipline/policy_acknowledgements.html", {
        "version": version, "missing": missing.rows, "missing_people": missing,
        "acknowledged": acknowledged.rows, "acknowledged_people": acknowledged,
        "filter_people": missing if missing.total >= acknowledged.total else acknowledged,
    })


# ---------------------------------------------------------------- year-end bonus (rule 5)

@requires("yearend.view")
def year_end(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = min(year_from_request(request), today.year + 1)  # next year's bonus is planned at the latest
    people = people_page(request, summary.year_people(permissions.team_employees(request.user), year))
    rows = summary.year_rows(people.rows, year)
    rule = Rule.objects.filter(code="year-end-bonus").first()
    return render(request, "discipline/year_end.html", {
        "year": year, "rows": rows, "lines": _year_end_lines(rows, rule, date(year, 1, 1), date(year, 12, 31)), "people": people,
        "years": list(range(today.year, today.year - 5, -1)),
        # One chart per person (the first section that draws one), keyed by employee id for charts.js.
        "charts": {str(row.employee.pk): next(iter(row.charts.values())) for row in rows if row.charts},
        "section_titles": [title for _key, title in summary.section_titles()],
        "rule": rule,
    })


def _year_end_lines(rows: list[summary.YearRow], rule: Rule | None, first: date, last: date) -> list[SafeString]:
    """Each person's table line of the year-end summary, as the HTML the page shows.

    Built here (each value escaped by format_html), not by the template engine: fifty rows of a dozen cells
    were a third of the manager's request at 10,000 employees (issue 16), as the team month's were.
    """
    show = number_display()
    record_list, record_create = reverse("discipline:record_list"), reverse("discipline:record_create")
    labels = {"year_label": _("The year month by month"), "praise_label": _("Public praise"), "rewards_label": _("Rewards ¥"),
              "penalties_label": _("Penalties"), "penalties_money_label": _("Penalties ¥")}
    issue, left_on, joined_on = _("Issue a bonus"), _("left on %(day)s"), _("joined on %(day)s")
    chart_label = _("%(name)s's year month by month")
    lines = []
    for row in rows:
        person = row.employee
        if person.leave_date and person.leave_date <= last:
            span = format_html(_LEFT_OR_JOINED, testid="left-on", text=blocktranslated(left_on, day=f"{person.leave_date:%Y-%m-%d}"))
        elif person.hire_date >= first:
            span = format_html(_LEFT_OR_JOINED, testid="joined-on", text=blocktranslated(joined_on, day=f"{person.hire_date:%Y-%m-%d}"))
        else:
            span = ""
        chart = format_html(_YEAR_CHART, pk=person.pk, label=blocktranslated(chart_label, name=person.name)) if row.charts else ""
        sections = format_html_join("", "{}", ((format_html(_SECTION_CELL, title, text) if text else
                                                 format_html(_SECTION_EMPTY, title),) for title, text in row.section_texts))
        bonus = format_html(_ISSUE_BONUS, url=record_create, pk=person.pk, rule=rule.code, label=issue) if rule and person.is_active else ""
        lines.append(format_html(
            _YEAR_END_LINE, list_url=record_list, pk=person.pk, name=person.name, department=person.department.name,
            span=span, chart=chart, sections=sections, praises=show(row.praises), rewards=yuan(row.rewards),
            penalty_count=show(row.penalty_count), penalties=yuan(row.penalties), bonus=bonus, **labels))
    return lines


# The year-end summary's table line (templates/discipline/year_end.html places them).
_YEAR_END_LINE = (
    '<tr data-testid="year-end-row">\n'
    '<td class="text-nowrap"><a href="{list_url}?employee={pk}">{name}</a><div class="text-muted small">{department}</div>'
    "{span}</td>\n"
    '<td class="chart-col" data-label="{year_label}">{chart}</td>\n'
    "{sections}\n"
    '<td class="text-end" data-label="{praise_label}">{praises}</td>\n'
    '<td class="text-end text-nowrap" data-label="{rewards_label}">{rewards}</td>\n'
    '<td class="text-end" data-label="{penalties_label}">{penalty_count}</td>\n'
    '<td class="text-end text-nowrap" data-label="{penalties_money_label}">{penalties}</td>\n'
    "<td>{bonus}</td>\n"
    "</tr>\n")
_LEFT_OR_JOINED = '<div class="small text-muted" data-testid="{testid}">{text}</div>'
_YEAR_CHART = ('<div class="chart chart-spark" data-chart="year-charts" data-chart-key="{pk}" role="img" '
               'aria-label="{label}"></div>')
_SECTION_CELL = '<td class="small" data-label="{}">{}</td>'
_SECTION_EMPTY = '<td class="small" data-label="{}"><span class="text-muted">—</span></td>'
_ISSUE_BONUS = ('<a class="btn btn-sm btn-outline-primary text-nowrap" href="{url}?employee={pk}&amp;rule={rule}" '
                'data-testid="issue-bonus">{label}</a>')
