"""The words of the demo: request themes, requesters, responses and case notes.

Everything is invented for the demo (places, suppliers, people). Placeholders in braces are
filled from `Context`, which is drawn once per request with the caller's `random.Random`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.dates import MONTH_NAMES
from app.domain.exemptions import get_exemption
from app.domain.outcomes import Outcome
from app.domain.regimes import CalendarName, Regime

CORPORATE = "corporate-services"
ENVIRONMENT = "environment-and-highways"
PEOPLE = "adults-and-childrens-services"


@dataclass(frozen=True, slots=True)
class Theme:
    """One kind of request an authority receives again and again, in many wordings."""

    key: str
    department: str
    environmental: bool  # answered under the EIR (never FOISA in this demo)
    titles: tuple[str, ...]
    asks: tuple[str, ...]  # numbered questions; a request uses the first two and some of the rest
    holder: str  # the team that holds the information, named in case notes
    released: tuple[str, ...]  # what a response releases, in a phrase
    not_held: str  # why the information is not held, when it is not
    narrow: str  # advice to bring the request within the cost limit
    sensitive: tuple[str, ...] = ()  # exemption categories (see CATEGORY_CODES), most likely first
    ncnd: bool = False  # a request where even confirming that the information exists can harm
    period: str = "fy"  # "fy" financial years, "cy" calendar years, "none"
    personas: tuple[str, ...] = ()  # who tends to ask; empty means anyone
    withheld: tuple[tuple[str, str], ...] = ()  # (category, what is held back) where the generic phrase won't do


def _theme(key: str, department: str, titles: Any, asks: Any, holder: Any, released: Any, not_held: Any, narrow: Any, **kw: Any) -> Theme:
    return Theme(
        key,
        department,
        kw.pop("environmental", False),
        tuple(titles),
        tuple(asks),
        holder,
        tuple(released),
        not_held,
        narrow,
        **kw,
    )


# ---------------------------------------------------------------------------------------------
# Request themes
# ---------------------------------------------------------------------------------------------

THEMES: tuple[Theme, ...] = (
    # --- Corporate Services: money, staff, systems --------------------------------------------
    _theme(
        "consultancy",
        CORPORATE,
        [
            "Spending on management consultants {fy_prev} and {fy}",
            "Consultancy spend by supplier",
            "Payments to {supplier} for consultancy work",
        ],
        [
            "The total amount the council spent on external consultants in each year.",
            "For each engagement worth more than £10,000: the supplier, the purpose of the work, the start and end dates and the total paid.",
            "Whether each of those engagements was procured by open tender, from a framework or by direct award.",
            "The total paid to {supplier}, and what the work was for.",
            "The highest day rate the council has paid to any individual consultant.",
        ],
        "Finance",
        [
            "a table of consultancy spend by supplier and year, with the purpose of every engagement over £10,000",
            "totals for each year and a list of the engagements over £10,000",
        ],
        "day rates are not recorded centrally; consultants are paid against invoices for deliverables",
        "limiting the request to engagements over £50,000, or to a single financial year",
        sensitive=("commercial", "personal"),
        personas=("journalist", "company", "resident"),
    ),
    _theme(
        "training",
        CORPORATE,
        [
            "Staff training expenditure {fy}",
            "Spend on external training providers",
            "Leadership and coaching courses for senior managers",
        ],
        [
            "The total spent on staff training and development in each year.",
            "That total broken down by directorate.",
            "The ten training providers paid the most, with the amount paid to each.",
            "How much was spent on leadership programmes or executive coaching.",
            "How much of the council's apprenticeship levy was used, and how much expired unused.",
        ],
        "HR and Organisational Development",
        [
            "a breakdown of training spend by directorate and the ten largest providers",
            "the training budget and outturn for each year, with the top ten suppliers",
        ],
        "training bought directly by services is coded to general supplies and cannot be told apart",
        "asking for the corporate training budget only, rather than spend coded across every service",
        sensitive=("commercial",),
    ),
    _theme(
        "agency_staff",
        CORPORATE,
        [
            "Agency staff numbers and spend",
            "Use of agency workers in social care and ICT",
            "Agency workers engaged through {supplier}",
        ],
        [
            "The total spent on agency staff in each year.",
            "The number of agency workers engaged on 31 March of each year, by department.",
            "The length of engagement of the longest-serving agency worker.",
            "The highest hourly or daily rate paid for an agency worker, and the role.",
            "The name of the council's managed service provider for temporary labour and the value of that contract.",
            "How many agency social workers the council was using on the last day of each year.",
        ],
        "HR and Organisational Development",
        [
            "agency spend by year and the number of agency workers by department",
            "totals for agency spend, numbers by department and the contract value of the managed service",
        ],
        "the managed service provider reports spend, not headcount on a given date",
        "dropping the question about individual lengths of engagement, which needs every timesheet checked",
        sensitive=("personal", "commercial"),
        personas=("company", "journalist", "researcher"),
    ),
    _theme(
        "it_systems",
        CORPORATE,
        [
            "Software licences and contract renewal dates",
            "IT systems in use and contract end dates",
            "Contract for {system}",
        ],
        [
            "For each of the following, the supplier, the product, the annual cost and the contract end date: finance, HR and payroll, revenues and benefits, customer relationship management, and social care case management.",
            "The number of Microsoft 365 licences held, by licence type.",
            "The job title of the officer responsible for IT procurement.",
            "Whether the council plans to re-procure {system} in the next two years.",
            "Which cloud hosting provider the council uses, if any.",
        ],
        "ICT",
        [
            "a list of the council's main line-of-business systems with supplier, annual cost and contract end date",
            "suppliers, renewal dates and licence counts for the systems named",
        ],
        "re-procurement plans for the period asked about have not been drawn up",
        "asking about the five systems named rather than every application the council runs",
        sensitive=("commercial", "security"),
        personas=("company",),
        period="none",
        withheld=(("security", "details of the versions and configuration of our systems"),),
    ),
    _theme(
        "contracts_register",
        CORPORATE,
        ["Contracts awarded over {amount}", "Contracts awarded to {supplier}", "Contracts register extract {fy}"],
        [
            "A list of every contract awarded with a value over {amount}, giving the supplier, a description, the value and the start and end dates.",
            "The procurement route for each (open tender, framework, direct award or waiver).",
            "How many contract waivers were approved in each year and the reasons given.",
            "What weighting the council gives to social value when evaluating tenders.",
            "How many of the contracts were awarded to suppliers based in the borough.",
        ],
        "Procurement",
        [
            "an extract of the contracts register for the period, with procurement routes",
            "the list of contracts over the threshold, the waiver count and the social value policy",
        ],
        "the council does not record where a supplier is based when it awards a contract",
        "asking for contracts over £100,000 only, or for a single year",
        sensitive=("commercial", "accessible"),
        personas=("company", "journalist", "researcher"),
    ),
    _theme(
        "purchase_cards",
        CORPORATE,
        ["Purchasing card transactions {fy}", "Council credit card spending on hotels and restaurants"],
        [
            "Every purchasing card transaction over £100, with the date, the merchant, the amount and the service.",
            "How many purchasing cards are currently issued, and to which job grades.",
            "Total card spend at hotels, restaurants and bars.",
            "A copy of the policy governing the use of purchasing cards.",
        ],
        "Finance",
        [
            "the transaction list with merchant names and amounts, and the card policy",
            "a spreadsheet of card transactions and the number of cards by grade",
        ],
        "merchant categories are assigned by the card provider and are not held in the council's ledger",
        "asking for one financial year only",
        sensitive=("personal", "accessible"),
        personas=("journalist", "resident", "campaign"),
    ),
    _theme(
        "legal_spend",
        CORPORATE,
        ["External legal spend and barristers' fees", "Legal costs in the {place} judicial review"],
        [
            "The total spent on external solicitors and counsel in each year.",
            "The five firms or chambers paid the most, with the amounts.",
            "The legal costs incurred and recovered in the judicial review concerning {site}.",
            "How many employment tribunal claims were brought against the council, and how many settled.",
        ],
        "Legal Services",
        ["totals for external legal spend and the five largest payees", "annual legal spend and tribunal figures"],
        "costs in individual cases are not held separately from the legal team's overall budget",
        "leaving out individual cases, which would need every case file reviewed",
        sensitive=("legal", "personal"),
        personas=("journalist", "resident"),
    ),
    _theme(
        "members_allowances",
        CORPORATE,
        ["Councillors' allowances and expenses {fy}", "Expenses claimed by the Leader and Cabinet"],
        [
            "The basic and special responsibility allowances paid to each councillor.",
            "Travel and subsistence expenses claimed by each councillor, with the purpose.",
            "The cost of any councillor training or conferences attended.",
            "Whether any councillor has declined their allowance.",
        ],
        "Democratic Services",
        [
            "allowances and expenses for each councillor, matching the published scheme",
            "the expenses claims for Cabinet members",
        ],
        "conference attendance is paid by political groups, not the council",
        "asking for the published annual statement plus one year's itemised claims",
        sensitive=("accessible", "personal"),
        personas=("resident", "journalist", "campaign"),
    ),
    _theme(
        "senior_pay",
        CORPORATE,
        ["Senior officer pay and gender pay gap", "Staff paid more than £100,000"],
        [
            "The number of employees whose total remuneration was £100,000 or more, in £5,000 bands.",
            "The chief executive's salary, pension contribution and any bonus.",
            "Any exit payments over £95,000 and the roles they related to.",
            "The council's mean and median gender pay gap.",
            "The ratio between the highest and the median salary.",
        ],
        "HR and Organisational Development",
        [
            "pay bands for senior staff, the gender pay gap figures and the pay multiple",
            "the number of staff in each band over £100,000",
        ],
        "remuneration data for that period is held by the former payroll provider and was not migrated",
        "asking for banded totals only",
        sensitive=("personal", "accessible"),
        personas=("journalist", "campaign", "researcher"),
        withheld=(("personal", "the names of staff below chief officer level"),),
    ),
    _theme(
        "settlements",
        CORPORATE,
        ["Settlement agreements and non-disclosure clauses", "Use of NDAs with departing staff"],
        [
            "How many settlement agreements the council entered into in each year.",
            "How many of them contained confidentiality or non-disclosure clauses.",
            "The total value of payments made under those agreements.",
            "How many related to complaints of harassment or discrimination.",
        ],
        "HR and Organisational Development",
        [
            "annual counts of settlement agreements and their total value",
            "the number of agreements with confidentiality clauses",
        ],
        "the reason for each settlement is not recorded in a reportable form",
        "asking for numbers and totals without the reasons",
        sensitive=("personal", "legal"),
        ncnd=True,
        personas=("journalist", "researcher"),
        withheld=(("personal", "figures of fewer than five and any detail that could identify former employees"),),
    ),
    _theme(
        "sickness",
        CORPORATE,
        ["Staff sickness absence statistics {fy}", "Sickness absence due to stress and mental health"],
        [
            "The average number of working days lost to sickness per full-time equivalent employee.",
            "The number of days lost by reason, in particular stress, depression and anxiety, and musculoskeletal problems.",
            "The number of long-term sickness cases (over four weeks) by department.",
            "What employee assistance or occupational health service the council provides and at what cost.",
        ],
        "HR and Organisational Development",
        [
            "days lost per FTE and the breakdown by reason and department",
            "sickness figures by reason, with numbers under five shown as '<5'",
        ],
        "reasons for absence were not recorded in a structured way before the new HR system went live",
        "asking for council-wide figures rather than by team",
        sensitive=("personal",),
        personas=("researcher", "journalist", "company"),
    ),
    _theme(
        "disciplinary",
        CORPORATE,
        ["Disciplinary and grievance cases", "Dismissals for gross misconduct"],
        [
            "The number of disciplinary investigations opened in each year.",
            "How many resulted in dismissal.",
            "The number of grievances raised and how many were upheld.",
            "How many staff were suspended, and for how long on average.",
        ],
        "HR and Organisational Development",
        [
            "annual totals of disciplinary cases, dismissals and grievances",
            "the numbers of cases and outcomes, with small numbers suppressed",
        ],
        "suspension lengths are held on individual files only",
        "leaving out the average suspension length, which needs every case file read",
        sensitive=("personal",),
        ncnd=True,
        personas=("journalist", "campaign"),
        withheld=(("personal", "figures of fewer than five, broken down by department"),),
    ),
    _theme(
        "cyber_incidents",
        CORPORATE,
        ["Cyber security incidents and ransomware", "Cyber attacks on council systems {year}"],
        [
            "How many cyber security incidents the council recorded in each year.",
            "Whether the council has experienced a ransomware attack and, if so, whether any ransom was paid.",
            "Whether the council holds cyber insurance, and the annual premium.",
            "The percentage of staff who completed mandatory cyber security training.",
            "How often backups of critical systems are tested.",
        ],
        "ICT",
        [
            "the training completion rate and confirmation that no ransom has ever been paid",
            "the number of incidents reported to the National Cyber Security Centre",
        ],
        "incidents below the reporting threshold are not logged",
        "asking about reported incidents only",
        sensitive=("security", "law"),
        ncnd=True,
        period="cy",
        personas=("company", "researcher", "journalist"),
        withheld=(("security", "details of specific incidents and of our defences"),),
    ),
    _theme(
        "cyber_budget",
        CORPORATE,
        ["Cyber security budget and staffing", "ICT security staffing and penetration testing"],
        [
            "The annual budget for cyber security.",
            "The number of staff employed in IT security roles.",
            "When the council last commissioned an external penetration test, and the supplier.",
            "Whether the council is accredited to Cyber Essentials or Cyber Essentials Plus.",
        ],
        "ICT",
        ["the budget, staffing and accreditation status", "the budget and number of security staff"],
        "there is no separate cyber security budget; it sits within the general ICT budget",
        "leaving out the penetration test question",
        sensitive=("security", "commercial"),
        personas=("company",),
    ),
    _theme(
        "data_breaches",
        CORPORATE,
        ["Personal data breaches reported to the ICO", "Data protection breaches {fy}"],
        [
            "How many personal data breaches the council recorded in each year.",
            "How many were reported to the Information Commissioner's Office.",
            "The most common causes (for example, emails sent to the wrong recipient).",
            "Whether any staff were disciplined as a result.",
        ],
        "Information Governance",
        ["breach numbers, the number reported to the ICO and the main causes", "annual breach totals by cause"],
        "disciplinary outcomes are not linked to breach records",
        "asking for totals by cause only",
        sensitive=("personal",),
        personas=("company", "researcher"),
    ),
    _theme(
        "foi_statistics",
        CORPORATE,
        ["FOI request statistics {year}", "Freedom of Information performance and staffing"],
        [
            "How many FOI and EIR requests the council received in each year.",
            "The percentage answered within 20 working days.",
            "How many internal reviews were requested and how many were upheld.",
            "How many decision notices the Information Commissioner issued about the council.",
            "How many staff work on FOI, in full-time equivalents.",
            "The software used to log and manage requests.",
        ],
        "Information Governance",
        [
            "request volumes, timeliness, review outcomes and FOI team staffing",
            "the annual FOI statistics and the name of the case management system",
        ],
        "the number of staff who answer requests within services is not recorded",
        "asking for the central FOI team only",
        sensitive=("accessible",),
        period="cy",
        personas=("researcher", "journalist", "company"),
    ),
    _theme(
        "complaints",
        CORPORATE,
        ["Corporate complaints statistics {fy}", "Complaints about the council and Ombudsman findings"],
        [
            "The number of complaints received at stage 1 and stage 2 of the complaints procedure.",
            "How many were upheld or partly upheld.",
            "The number of Local Government and Social Care Ombudsman decisions and how many found fault.",
            "The total compensation or remedy payments made following complaints.",
            "The three services that received the most complaints.",
        ],
        "Customer Services",
        [
            "complaints by stage and service, upheld rates and remedy payments",
            "complaint volumes and Ombudsman outcomes",
        ],
        "remedy payments are paid from service budgets and not recorded against complaints",
        "asking for corporate complaints only, excluding statutory social care complaints",
        sensitive=("accessible", "personal"),
        personas=("resident", "researcher"),
    ),
    _theme(
        "council_tax_arrears",
        CORPORATE,
        ["Council tax arrears and enforcement agents", "Council tax liability orders {fy}"],
        [
            "The total council tax arrears at the end of each year.",
            "How many liability orders the council obtained.",
            "How many accounts were passed to enforcement agents, and which firms were used.",
            "How many committal applications were made.",
            "How many accounts in arrears belonged to households receiving council tax support.",
        ],
        "Revenues and Benefits",
        [
            "arrears, liability orders and enforcement referrals by year, with the agencies used",
            "arrears and enforcement figures",
        ],
        "the system does not link arrears to council tax support awards historically",
        "leaving out the council tax support question",
        sensitive=("commercial",),
        personas=("campaign", "researcher", "journalist"),
    ),
    _theme(
        "council_tax_discounts",
        CORPORATE,
        ["Single person discount reviews", "Council tax empty homes premium"],
        [
            "How many properties receive a single person discount.",
            "Whether the council has used an external company to review single person discounts, which company, and at what cost.",
            "How many discounts were removed after review.",
            "How many properties pay the long-term empty homes premium.",
        ],
        "Revenues and Benefits",
        [
            "discount and premium counts and the cost of the review",
            "the number of discounts removed and the review contract",
        ],
        "the review results are held by the contractor, not the council",
        "asking for counts only",
        sensitive=("commercial", "law"),
        personas=("company", "resident"),
    ),
    _theme(
        "business_rates_credits",
        CORPORATE,
        ["Business rates accounts in credit", "Business rates credit balances list"],
        [
            "A list of all non-domestic rates accounts with a credit balance, giving the ratepayer name, the property address, the amount and the period the credit relates to.",
            "The total value of credits on the accounts.",
            "How the council tries to return credits to ratepayers.",
        ],
        "Revenues and Benefits",
        ["the total value of credit balances and the number of accounts", "the count and total of credit balances"],
        "credits are not held by period in a reportable form",
        "asking for totals rather than a list of accounts",
        sensitive=("law", "personal"),
        period="none",
        personas=("company",),
        withheld=(
            ("law", "the names and addresses of ratepayers with credit balances"),
            ("personal", "details of accounts held by sole traders"),
        ),
    ),
    _theme(
        "business_rates_new",
        CORPORATE,
        ["New business rates accounts since {month_year}", "Business rates: new occupiers list"],
        [
            "A list of all new non-domestic rates accounts created since {month_year}, with the business name, the property address, the rateable value and the account start date.",
            "Which of those properties receive small business rate relief.",
            "Any properties where the ratepayer is a sole trader, identified only by the property address.",
        ],
        "Revenues and Benefits",
        [
            "the list of new accounts held by limited companies, with rateable values",
            "company names, addresses and start dates for new accounts",
        ],
        "relief is recorded on the account, not reported by account start date",
        "asking for accounts held by companies only",
        sensitive=("personal", "law", "accessible"),
        period="none",
        personas=("company",),
        withheld=(
            ("personal", "details of accounts held by sole traders"),
            ("law", "the list of empty or newly let properties"),
        ),
    ),
    _theme(
        "empty_properties",
        CORPORATE,
        ["Empty residential properties list", "Long-term empty homes in {place}"],
        [
            "A list of residential properties empty for more than six months, with the address and the date they became empty.",
            "The number of long-term empty homes in each ward.",
            "How many empty homes the council has brought back into use.",
        ],
        "Revenues and Benefits",
        ["the number of long-term empty homes by ward", "ward-level counts of empty homes"],
        "the council does not record why a property is empty",
        "asking for ward-level counts",
        sensitive=("law", "personal"),
        period="none",
        personas=("company", "resident", "campaign"),
        withheld=(("law", "the addresses of empty properties"), ("personal", "details that could identify owners")),
    ),
    _theme(
        "grants_vcs",
        CORPORATE,
        ["Grants to voluntary and community groups {fy}", "Community grants in {place}"],
        [
            "Every grant paid to a voluntary or community organisation, with the recipient, the amount and the purpose.",
            "The criteria used to award them.",
            "Any grants that were clawed back.",
        ],
        "Communities",
        ["the list of grants by recipient and purpose", "grant recipients, amounts and the scheme criteria"],
        "clawback is handled case by case and not recorded as such",
        "asking for grants over £1,000",
        sensitive=("accessible", "personal"),
        personas=("campaign", "resident"),
    ),
    _theme(
        "regeneration",
        CORPORATE,
        ["{place} town centre regeneration costs", "Regeneration scheme at {site}"],
        [
            "The total spent so far on the regeneration scheme at {site}, by year.",
            "The consultants and contractors engaged, with amounts paid.",
            "Any viability or options appraisal reports.",
            "The current projected completion date and budget.",
        ],
        "Regeneration",
        [
            "spend to date, the list of consultants and contractors, and the current budget",
            "the budget and spend figures",
        ],
        "no options appraisal was produced for this stage",
        "asking for spend totals and the list of contractors",
        sensitive=("commercial", "public_affairs", "future"),
        personas=("resident", "journalist", "campaign"),
        withheld=(
            ("public_affairs", "draft options papers prepared for councillors"),
            ("commercial", "the developer's financial appraisal"),
        ),
    ),
    _theme(
        "council_companies",
        CORPORATE,
        ["Council-owned companies and loans", "Loans to the council's housing company"],
        [
            "A list of companies wholly or partly owned by the council.",
            "The value of any loans made to each company and the interest rate charged.",
            "Any dividends received.",
            "The remuneration of each company's directors.",
        ],
        "Finance",
        ["the list of companies, the loan balances and dividends", "loan balances, interest rates and dividends"],
        "director remuneration is paid by the companies and not held by the council",
        "leaving out director remuneration",
        sensitive=("commercial", "accessible"),
        personas=("journalist", "campaign"),
    ),
    _theme(
        "commercial_property",
        CORPORATE,
        ["Commercial property investments", "Purchase of {site}"],
        [
            "A list of commercial properties the council has bought since 2018, with the price paid.",
            "The rental income from each in the most recent year.",
            "How the purchases were financed, including any Public Works Loan Board borrowing.",
            "Any valuation reports obtained before purchase.",
        ],
        "Property and Estates",
        ["the list of properties, prices and rental income", "purchase prices and total rental income"],
        "valuations were commissioned by the former joint venture and were not passed to the council",
        "asking for the list of properties and prices only",
        sensitive=("commercial",),
        personas=("journalist", "researcher"),
    ),
    _theme(
        "translation",
        CORPORATE,
        ["Spending on interpreting and translation", "Interpreting services contract"],
        [
            "The total spent on interpreting and translation in each year.",
            "The most requested languages.",
            "The suppliers used and the contract value.",
            "The hourly rate paid for face-to-face interpreting.",
        ],
        "Procurement",
        ["spend by year, the main languages and the supplier", "the totals and top ten languages"],
        "language is recorded by services, not centrally",
        "asking for totals only",
        sensitive=("commercial",),
        personas=("journalist", "company"),
    ),
    _theme(
        "mobile_devices",
        CORPORATE,
        ["Mobile phones and laptops issued to staff", "Lost and stolen council devices"],
        [
            "How many mobile phones, tablets and laptops are issued to staff.",
            "The network provider and the annual cost.",
            "How many devices were reported lost or stolen in each year.",
            "Whether lost devices were encrypted.",
        ],
        "ICT",
        ["device counts, the mobile contract and the number of lost devices", "the number of devices and losses"],
        "older loss reports were not kept after the devices were written off",
        "asking for the most recent year only",
        sensitive=("security", "commercial"),
        personas=("company", "journalist"),
    ),
    _theme(
        "ai_use",
        CORPORATE,
        ["Use of artificial intelligence by the council", "Automated decision-making and AI tools"],
        [
            "Whether the council uses any artificial intelligence or machine learning tools, and for what.",
            "Whether any decisions about residents are made or supported by automated systems, in particular in benefits or social care.",
            "Any data protection impact assessments for those tools.",
            "Whether staff are permitted to use generative AI tools such as chatbots, and the policy.",
        ],
        "ICT",
        [
            "a list of the tools in use, the policy on generative AI and the impact assessments",
            "a description of the tools in use and the staff policy",
        ],
        "the council does not use automated decision-making in the sense of UK GDPR article 22",
        "leaving out the impact assessments",
        sensitive=("security", "public_affairs"),
        period="none",
        personas=("researcher", "campaign", "journalist"),
    ),
    _theme(
        "office_use",
        CORPORATE,
        ["Use of the civic offices and desk occupancy", "Hybrid working and office space"],
        [
            "The average daily occupancy of the civic offices.",
            "The running cost of each council office building.",
            "Any plans to dispose of or lease out office space.",
            "The council's hybrid working policy.",
        ],
        "Property and Estates",
        ["occupancy figures, running costs and the hybrid working policy", "building running costs and the policy"],
        "occupancy is not measured; desks are booked but attendance is not recorded",
        "asking about the civic offices only",
        sensitive=("public_affairs", "future"),
        personas=("resident", "journalist"),
    ),
    _theme(
        "cctv",
        CORPORATE,
        ["Public space CCTV cameras", "CCTV coverage in {place}"],
        [
            "How many public space CCTV cameras the council operates.",
            "Where they are, by street.",
            "The hours the control room is staffed.",
            "How many requests for footage the council received from the police.",
            "Whether any cameras use facial recognition or number plate recognition.",
        ],
        "Community Safety",
        [
            "camera numbers by area, control room hours and the number of police requests",
            "the number of cameras and confirmation that none use facial recognition",
        ],
        "the council does not record the purpose of police requests for footage",
        "asking for camera numbers by ward rather than locations",
        sensitive=("law", "health_safety"),
        period="none",
        personas=("resident", "campaign", "researcher"),
        withheld=(("law", "the precise locations and fields of view of cameras"),),
    ),
    _theme(
        "surveillance",
        CORPORATE,
        ["Use of covert surveillance powers (RIPA)", "Test purchase and covert surveillance authorisations"],
        [
            "How many directed surveillance authorisations under the Regulation of Investigatory Powers Act 2000 were granted.",
            "Which services applied for them.",
            "How many communications data requests the council made.",
            "The date of the last inspection by the Investigatory Powers Commissioner's Office.",
        ],
        "Legal Services",
        [
            "the number of authorisations by service and the date of the last inspection",
            "annual totals of authorisations",
        ],
        "no communications data requests were made in the period",
        "asking for totals only",
        sensitive=("law",),
        ncnd=True,
        period="cy",
        personas=("campaign", "journalist", "researcher"),
        withheld=(("law", "details of the operations authorised"),),
    ),
    _theme(
        "blue_badge",
        CORPORATE,
        ["Blue Badge misuse and enforcement", "Blue Badge fraud prosecutions"],
        [
            "How many Blue Badges were seized for misuse.",
            "How many prosecutions were brought and their outcomes.",
            "How many badges were issued.",
            "How many applications were refused.",
        ],
        "Counter Fraud",
        ["badges issued and refused, seizures and prosecution outcomes", "numbers of seizures and prosecutions"],
        "seizures by civil enforcement officers are recorded by the parking contractor",
        "asking for numbers issued and prosecutions only",
        sensitive=("law", "personal"),
        period="cy",
        personas=("resident", "journalist"),
    ),
    _theme(
        "taxi_licensing",
        CORPORATE,
        ["Taxi and private hire licensing checks", "Private hire driver licences revoked"],
        [
            "How many hackney carriage and private hire driver licences the council has issued.",
            "How many were refused, suspended or revoked, and the main reasons.",
            "Whether the council requires enhanced DBS checks every six months.",
            "How many complaints about drivers were received.",
        ],
        "Licensing",
        [
            "licence numbers, refusals and revocations by reason, and the DBS policy",
            "licensing totals and the checking policy",
        ],
        "complaints are recorded against drivers, not counted",
        "asking for annual totals",
        sensitive=("personal", "law"),
        period="cy",
        personas=("journalist", "campaign"),
    ),
    _theme(
        "libraries",
        CORPORATE,
        ["Library opening hours and visitor numbers", "Library closures and volunteer-run libraries"],
        [
            "Visitor numbers at each library in each year.",
            "Changes to opening hours since 2020.",
            "How many libraries are run by volunteers or community groups.",
            "The book fund in each year.",
        ],
        "Libraries",
        ["visitor numbers by branch, opening hours and the book fund", "visits and opening hours by branch"],
        "visitor counters at two branches failed and figures were not recorded",
        "asking for the current year only",
        sensitive=("future",),
        personas=("resident", "campaign"),
    ),
    _theme(
        "leisure",
        CORPORATE,
        ["Leisure centre operator contract", "Subsidy to the leisure operator {fy}"],
        [
            "The name of the operator of the council's leisure centres and the contract end date.",
            "Any management fee paid to or received from the operator.",
            "Any additional support paid during the year.",
            "Membership and usage numbers for each centre.",
        ],
        "Property and Estates",
        ["the operator, contract dates and the management fee", "the contract summary and annual payments"],
        "usage figures are held by the operator and not supplied to the council",
        "leaving out usage figures",
        sensitive=("commercial",),
        personas=("resident", "company"),
    ),
    _theme(
        "emergency_response",
        CORPORATE,
        ["Response to the {place} industrial estate fire", "Emergency planning and rest centres"],
        [
            "The costs the council incurred in responding to the major incident at {place} industrial estate.",
            "How many staff were deployed, and from which services.",
            "How many rest centres were opened and how many people used them.",
            "A copy of any debrief or lessons learned report.",
        ],
        "Emergency Planning",
        [
            "response costs, staff numbers and rest centre figures",
            "the costs and rest centre use, and a summary of the lessons learned",
        ],
        "staff time was not recorded against the incident",
        "asking for the debrief report only",
        sensitive=("health_safety", "public_affairs", "security"),
        period="none",
        personas=("resident", "journalist"),
    ),
    _theme(
        "food_hygiene",
        CORPORATE,
        ["Food hygiene inspections overdue", "Food hygiene ratings and inspections {fy}"],
        [
            "How many food businesses are registered in the borough.",
            "How many food hygiene inspections were due and how many were carried out.",
            "How many businesses are overdue for inspection.",
            "How many prosecutions or closure orders there were.",
        ],
        "Environmental Health",
        [
            "inspection numbers, overdue inspections and enforcement actions",
            "inspections due and done, and enforcement totals",
        ],
        "overdue inspections are not recorded by year",
        "asking for the most recent year only",
        sensitive=("law",),
        personas=("journalist", "researcher"),
    ),
    # --- Environment and Highways (FOI topics) ------------------------------------------------
    _theme(
        "potholes",
        ENVIRONMENT,
        ["Pothole repairs and compensation claims", "Pothole reports and repairs {fy}", "Road defects on {road}"],
        [
            "How many potholes were reported to the council in each year.",
            "How many were repaired within the council's target time.",
            "How many compensation claims for pothole damage were received, and how many were paid.",
            "The total paid in compensation.",
            "The inspection records for {road} for the last two years.",
            "The highway maintenance budget for each year.",
        ],
        "Highways",
        [
            "pothole, claim and compensation figures and the maintenance budget",
            "the number of potholes reported and repaired, and claims paid",
        ],
        "repair times are recorded by the contractor and only reported as a monthly percentage",
        "asking for totals rather than details of each claim",
        sensitive=("legal", "commercial"),
        personas=("resident", "journalist", "campaign"),
        withheld=(("legal", "legal advice on individual claims"),),
    ),
    _theme(
        "street_lighting",
        ENVIRONMENT,
        ["Street lighting faults and repair times", "Street lights switched off at night in {place}"],
        [
            "How many street lighting faults were reported in each year.",
            "The average time taken to repair a fault.",
            "Which streets have part-night lighting.",
            "How many street lights have been converted to LED.",
        ],
        "Highways",
        [
            "fault numbers, repair times, the part-night lighting list and LED conversion progress",
            "the fault and repair figures",
        ],
        "repair times are not recorded for faults reported to the electricity network operator",
        "asking for the totals for one year",
        personas=("resident",),
    ),
    _theme(
        "missed_bins",
        ENVIRONMENT,
        ["Missed bin collections {fy}", "Bin collection complaints in {place}"],
        [
            "The number of missed collections reported each month, by waste stream.",
            "The number of missed collections by round.",
            "How many complaints about the collection service were received.",
            "Any performance deductions made from the collection contractor.",
        ],
        "Waste Services",
        [
            "missed collections by month and waste stream, and complaint numbers",
            "the monthly missed collection figures",
        ],
        "missed collections are not recorded by round",
        "asking for monthly totals",
        sensitive=("commercial",),
        personas=("resident",),
    ),
    _theme(
        "parking_pcns",
        ENVIRONMENT,
        ["Penalty charge notices issued {fy}", "Parking fines on {road}", "Parking enforcement income"],
        [
            "The number of penalty charge notices issued, by contravention code.",
            "The ten streets where the most were issued.",
            "How many were challenged, how many cancelled and how many appealed to the tribunal.",
            "The total income from penalty charge notices.",
            "Whether civil enforcement officers have targets for the number of tickets issued.",
        ],
        "Parking Services",
        [
            "PCN numbers by contravention and street, appeal outcomes and income",
            "PCN and income totals and confirmation that officers have no ticket targets",
        ],
        "cancellation reasons are not held in a reportable form",
        "asking for totals by contravention code",
        sensitive=("law", "accessible"),
        personas=("resident", "journalist", "company"),
    ),
    _theme(
        "parking_contract",
        ENVIRONMENT,
        ["Parking enforcement contract", "Contract with {supplier} for parking enforcement"],
        [
            "The name of the parking enforcement contractor and the contract value.",
            "The contract start and end dates and any extension options.",
            "The key performance indicators in the contract.",
            "Whether the contractor is paid per ticket issued.",
        ],
        "Parking Services",
        ["the contractor, contract value and dates, and the KPIs", "the contract summary"],
        "the contract does not contain per-ticket payments",
        "asking for the contract summary rather than the full contract",
        sensitive=("commercial",),
        period="none",
        personas=("company",),
    ),
    _theme(
        "pest_control",
        ENVIRONMENT,
        ["Pest control call-outs for rats", "Rat infestations in {place}"],
        [
            "How many pest control call-outs there were for rats, mice, wasps and bedbugs.",
            "The charge for each treatment.",
            "How many call-outs related to council housing.",
            "The postcode districts with the most rat call-outs.",
        ],
        "Environmental Health",
        ["call-outs by pest and postcode district, and the charges", "call-out numbers by pest"],
        "the council stopped providing pest control in {year_prev} and holds no call-out records since",
        "asking for totals by pest",
        sensitive=("commercial",),
        period="cy",
        personas=("company", "journalist"),
    ),
    _theme(
        "fixed_penalties",
        ENVIRONMENT,
        ["Fixed penalty notices for littering", "Litter enforcement contract and targets"],
        [
            "How many fixed penalty notices were issued for littering, dog fouling and fly-tipping.",
            "How many were paid and how many went to court.",
            "Whether the council uses a private contractor and how it is paid.",
            "Whether the contractor has targets for the number of notices.",
        ],
        "Environmental Enforcement",
        ["notice numbers, payment rates and the basis of the contract", "the number of notices issued and paid"],
        "court outcomes are held by the courts, not the council",
        "asking for notice totals",
        sensitive=("commercial", "law"),
        personas=("resident", "campaign"),
    ),
    _theme(
        "bus_subsidies",
        ENVIRONMENT,
        ["Supported bus services and subsidies", "Withdrawal of the {place} bus route"],
        [
            "A list of bus services the council subsidises, with the annual subsidy.",
            "Services withdrawn in the last three years.",
            "Passenger numbers on the subsidised services.",
            "How the Bus Service Improvement Plan money was spent.",
        ],
        "Transport Planning",
        ["the list of supported services and subsidies", "subsidies by route and the BSIP spend"],
        "passenger numbers are commercially held by the operators",
        "asking for the list of services and subsidies only",
        sensitive=("commercial",),
        personas=("resident", "campaign"),
    ),
    _theme(
        "public_toilets",
        ENVIRONMENT,
        ["Public toilets open and closed", "Public toilet closures in {place}"],
        [
            "How many public toilets the council runs.",
            "How many have closed since 2015.",
            "The annual running cost.",
            "Whether there is a community toilet scheme.",
        ],
        "Neighbourhood Services",
        ["the list of toilets, closures and running costs", "the number of toilets and the running cost"],
        "records before the 2019 restructure were not kept",
        "asking for the current list and costs",
        period="none",
        personas=("resident", "campaign"),
    ),
    _theme(
        "highways_contract",
        ENVIRONMENT,
        ["Highways maintenance contract", "Highways term contract with {supplier}"],
        [
            "The name of the highways maintenance contractor and the contract value.",
            "The schedule of rates for pothole repairs.",
            "Performance deductions made under the contract.",
            "The contract end date and plans for re-procurement.",
        ],
        "Highways",
        ["the contractor, value and end date, and deductions made", "the contract summary and deductions"],
        "no deductions were made during the period",
        "asking for the contract summary",
        sensitive=("commercial", "future"),
        period="none",
        personas=("company", "journalist"),
    ),
    # --- Adults' and Children's Services ------------------------------------------------------
    _theme(
        "housing_repairs",
        PEOPLE,
        ["Housing repairs backlog and response times", "Council housing repairs in {place}"],
        [
            "The number of outstanding responsive repairs to council homes at the end of each year.",
            "The average time to complete emergency, urgent and routine repairs.",
            "The number of repairs complaints.",
            "Spend on repairs by the council's repairs contractor.",
        ],
        "Housing",
        ["the repairs backlog, completion times and complaints", "repairs figures by priority"],
        "repairs completed by the contractor's subcontractors are not timed",
        "asking for totals by priority",
        sensitive=("commercial",),
        personas=("resident", "campaign", "journalist"),
    ),
    _theme(
        "damp_mould",
        PEOPLE,
        ["Damp and mould reports in council homes", "Damp and mould cases {fy}"],
        [
            "How many reports of damp and mould in council homes were received.",
            "How many were inspected within 14 days.",
            "How many remain unresolved.",
            "The council's policy for responding to damp and mould.",
        ],
        "Housing",
        ["report numbers, inspection times and the policy", "damp and mould figures and the policy"],
        "damp and mould was not recorded as a separate category before {year_prev}",
        "asking for the current year",
        sensitive=("personal",),
        personas=("journalist", "campaign", "resident"),
    ),
    _theme(
        "homelessness",
        PEOPLE,
        ["Homelessness applications and temporary accommodation", "Families in temporary accommodation {year}"],
        [
            "How many homelessness applications were made in each year.",
            "How many households were in temporary accommodation on the last day of each quarter.",
            "How many of those were families with children.",
            "How many households were placed outside the borough.",
            "How many people were recorded sleeping rough at the last count.",
        ],
        "Housing Options",
        [
            "application numbers, households in temporary accommodation and out-of-area placements",
            "the quarterly temporary accommodation figures",
        ],
        "out-of-area placements were not recorded separately until last year",
        "asking for quarterly totals",
        sensitive=("accessible", "personal"),
        personas=("journalist", "campaign", "researcher"),
    ),
    _theme(
        "temp_accommodation_costs",
        PEOPLE,
        ["Spending on bed and breakfast and hotel accommodation", "Payments to {supplier} for temporary accommodation"],
        [
            "The total spent on bed and breakfast and hotel accommodation for homeless households.",
            "The providers used and the amount paid to each.",
            "The nightly rate paid.",
            "The longest a family has stayed in bed and breakfast accommodation.",
        ],
        "Housing Options",
        ["total spend and payments by provider", "spend by provider and the average nightly rate"],
        "lengths of stay are not reported across providers",
        "asking for totals by provider",
        sensitive=("commercial", "personal"),
        personas=("journalist", "campaign"),
    ),
    _theme(
        "childrens_placements",
        PEOPLE,
        ["Children's residential placements: numbers and costs", "Highest-cost placements for looked-after children"],
        [
            "The number of looked-after children in residential placements.",
            "The average and the highest weekly cost of a placement.",
            "How many placements are with private providers.",
            "How many children are placed more than 20 miles from home.",
            "How many children are in unregistered placements.",
        ],
        "Children's Social Care",
        [
            "placement numbers, average weekly costs and the share with private providers",
            "placement numbers and costs, with small numbers suppressed",
        ],
        "distance from home is not recorded as a field",
        "asking for numbers and average costs only",
        sensitive=("personal", "commercial"),
        personas=("journalist", "researcher"),
        withheld=(
            ("personal", "figures of fewer than five, which could identify children"),
            ("commercial", "the rates paid to individual providers"),
        ),
    ),
    _theme(
        "care_home_fees",
        PEOPLE,
        ["Care home fee rates {fy}", "Usual cost of care and third-party top-ups"],
        [
            "The council's usual rates for residential and nursing care for older people.",
            "The number of people in placements above those rates.",
            "The hourly rate paid for home care.",
            "The number of people waiting for a home care package.",
        ],
        "Adult Social Care",
        ["fee rates, the home care hourly rate and waiting numbers", "the published fee rates and home care rate"],
        "top-ups are paid directly to homes by families and are not held",
        "asking for the fee rates only",
        sensitive=("accessible", "commercial"),
        personas=("company", "researcher"),
    ),
    _theme(
        "school_transport",
        PEOPLE,
        ["Home to school transport costs", "SEND school transport contracts", "Transport to {school}"],
        [
            "The total cost of home to school transport in each year, for mainstream and SEND pupils.",
            "The number of pupils transported.",
            "The most expensive single route and its annual cost.",
            "How many routes use taxis, and which companies hold the contracts.",
            "Whether passenger assistants are DBS checked.",
        ],
        "School Transport",
        [
            "costs and pupil numbers by type, and the list of operators",
            "annual costs, pupil numbers and the operators used",
        ],
        "cost per route is not held; routes are paid in combined contracts",
        "asking for totals rather than route-level costs",
        sensitive=("personal", "commercial"),
        personas=("resident", "journalist", "company"),
        withheld=(
            ("personal", "details of individual routes that could identify pupils"),
            ("commercial", "the prices in individual operators' bids"),
        ),
    ),
    _theme(
        "ehcp",
        PEOPLE,
        ["Education, Health and Care Plan timeliness", "EHCP assessments completed in 20 weeks"],
        [
            "How many requests for an EHC needs assessment were received.",
            "How many plans were issued within 20 weeks.",
            "How many appeals were made to the SEND tribunal and their outcomes.",
            "The number of educational psychologists employed.",
        ],
        "SEND",
        ["assessment numbers, 20-week performance and tribunal outcomes", "the 20-week figures and tribunal appeals"],
        "tribunal outcomes are not recorded by year of appeal",
        "asking for the headline figures",
        sensitive=("accessible", "personal"),
        period="cy",
        personas=("campaign", "resident", "journalist"),
    ),
    _theme(
        "social_workers",
        PEOPLE,
        ["Children's social worker caseloads and vacancies", "Social worker vacancies and turnover"],
        [
            "The average caseload of a children's social worker.",
            "The number of vacant social worker posts.",
            "The turnover rate.",
            "Any recruitment or retention payments offered.",
        ],
        "Children's Social Care",
        ["caseloads, vacancies, turnover and retention payments", "average caseloads and vacancy figures"],
        "caseloads are recorded per team, not per worker",
        "asking for the figures at 31 March only",
        sensitive=("personal",),
        personas=("journalist", "researcher", "company"),
    ),
    _theme(
        "care_leavers",
        PEOPLE,
        ["Support for care leavers", "Council tax exemption for care leavers"],
        [
            "How many care leavers aged 18 to 25 the council supports.",
            "How many are in education, employment or training.",
            "Whether care leavers are exempt from council tax.",
            "How many care leavers are in unsuitable accommodation.",
        ],
        "Children's Social Care",
        ["care leaver numbers, outcomes and the council tax policy", "numbers and outcomes"],
        "accommodation suitability is recorded only at statutory birthdays",
        "asking for the published outcome measures",
        sensitive=("personal", "accessible"),
        personas=("campaign", "researcher"),
    ),
    _theme(
        "dols",
        PEOPLE,
        ["Deprivation of Liberty Safeguards backlog", "DoLS applications awaiting assessment"],
        [
            "How many DoLS applications were received.",
            "How many were awaiting assessment on 31 March.",
            "The average time to complete an assessment.",
            "How many best interests assessors the council employs.",
        ],
        "Adult Social Care",
        ["applications received, the backlog and completion times", "the backlog and assessor numbers"],
        "completion times were not measured before the current system",
        "asking for the 31 March snapshot",
        sensitive=("personal",),
        personas=("researcher", "journalist"),
    ),
    _theme(
        "safeguarding",
        PEOPLE,
        ["Adult safeguarding referrals", "Safeguarding concerns in care homes in {place}"],
        [
            "How many adult safeguarding concerns were received.",
            "How many led to a section 42 enquiry.",
            "The most common types of abuse recorded.",
            "How many concerns related to care homes, by home.",
        ],
        "Adult Social Care",
        ["concern and enquiry numbers and types of abuse", "totals by type of abuse"],
        "concerns are not recorded against individual care homes in a reportable form",
        "asking for totals by type",
        sensitive=("personal", "law"),
        ncnd=True,
        personas=("journalist", "campaign"),
        withheld=(("personal", "figures for individual care homes where they are fewer than five"),),
    ),
    _theme(
        "free_school_meals",
        PEOPLE,
        ["Free school meals auto-enrolment", "Holiday activities and food programme"],
        [
            "How many pupils are eligible for free school meals.",
            "Whether the council auto-enrols eligible families.",
            "How the Holiday Activities and Food grant was spent.",
            "How many children attended holiday activities.",
        ],
        "Education",
        ["eligibility numbers, the auto-enrolment position and HAF spend", "the HAF spend and attendance"],
        "the council does not hold eligibility data for academies",
        "asking for maintained schools only",
        sensitive=("accessible",),
        personas=("campaign", "researcher"),
    ),
    _theme(
        "crisis_support",
        PEOPLE,
        ["Household Support Fund and local welfare assistance", "Crisis support payments {fy}"],
        [
            "The Household Support Fund allocation and the amount spent.",
            "How many awards were made, and to what kinds of household.",
            "Whether support was given as cash, vouchers or goods.",
            "Any money returned to government.",
        ],
        "Financial Inclusion",
        ["allocation, spend, awards by household type and method of support", "spend and award numbers"],
        "household type was recorded only for awards made by application",
        "asking for totals",
        sensitive=("accessible",),
        personas=("campaign", "researcher", "journalist"),
    ),
    _theme(
        "school_places",
        PEOPLE,
        ["School admissions appeals {year}", "Secondary school places and appeals"],
        [
            "How many families did not get any of their preferred secondary schools.",
            "How many admission appeals were heard, and how many were successful, by school.",
            "The furthest distance offered for {school}.",
            "Projected surplus or shortfall of places over five years.",
        ],
        "Admissions",
        [
            "allocation figures, appeal outcomes by school and place projections",
            "appeal outcomes and the last distance offered",
        ],
        "appeals for academies are heard by their own panels and not held",
        "asking for maintained schools",
        sensitive=("personal", "future"),
        period="cy",
        personas=("resident", "journalist"),
    ),
    # --- Environmental information (EIR) ------------------------------------------------------
    _theme(
        "air_quality",
        ENVIRONMENT,
        [
            "Air quality monitoring on {road}",
            "Nitrogen dioxide diffusion tube results {year}",
            "Air quality management area in {place}",
        ],
        [
            "The monthly nitrogen dioxide readings from each diffusion tube and automatic monitor.",
            "The locations of all monitoring sites.",
            "Any exceedances of the annual mean objective.",
            "Progress on the air quality action plan.",
            "Whether PM2.5 is monitored anywhere in the borough.",
        ],
        "Environmental Health",
        [
            "all diffusion tube and monitor results with site locations",
            "the monitoring data and the latest annual status report",
        ],
        "PM2.5 is not monitored by the council",
        "asking for annual means rather than monthly readings",
        sensitive=("accessible", "future"),
        environmental=True,
        period="cy",
        personas=("campaign", "resident", "researcher"),
    ),
    _theme(
        "trees",
        ENVIRONMENT,
        [
            "Tree preservation orders at {site}",
            "Felling of street trees on {road}",
            "Tree works and replacement planting",
        ],
        [
            "The tree survey and any tree preservation orders covering {site}.",
            "The reasons for felling the trees on {road}, and the inspection reports.",
            "How many street trees were felled and how many planted in each year.",
            "Any advice from the arboricultural officer on the planning application for {site}.",
        ],
        "Trees and Woodlands",
        [
            "the tree survey, TPO documents and the felling and planting figures",
            "inspection reports and the felling decision",
        ],
        "no tree survey was commissioned for that site",
        "asking for one site",
        sensitive=("public_affairs", "personal"),
        environmental=True,
        period="cy",
        personas=("resident", "campaign"),
        withheld=(
            ("public_affairs", "internal emails discussing options for the site"),
            ("personal", "the names of residents who reported the trees"),
        ),
    ),
    _theme(
        "planning_conditions",
        ENVIRONMENT,
        ["Discharge of planning conditions at {site}", "Compliance with planning conditions at {site}"],
        [
            "All correspondence between the council and the developer about discharge of conditions at {site}.",
            "The construction management plan and any complaints about working hours.",
            "Any site visits by the council and their findings.",
            "Whether the landscaping condition has been met.",
        ],
        "Development Management",
        [
            "the conditions correspondence, site visit notes and the construction management plan",
            "the site visit findings and the approved plans",
        ],
        "no site visit has been made",
        "asking for the correspondence since the permission was granted",
        sensitive=("commercial", "personal", "public_affairs"),
        environmental=True,
        period="none",
        personas=("resident", "campaign"),
    ),
    _theme(
        "planning_enforcement",
        ENVIRONMENT,
        [
            "Planning enforcement complaints in {place}",
            "Planning enforcement cases {fy}",
            "Unauthorised development at {site}",
        ],
        [
            "How many planning enforcement complaints were received.",
            "How many enforcement notices were served.",
            "The number of open cases and the oldest.",
            "The enforcement file for {site}.",
            "The number of planning enforcement officers.",
        ],
        "Planning Enforcement",
        [
            "case numbers, notices served and the age of open cases",
            "enforcement figures and the public parts of the file",
        ],
        "the file for that address was closed and destroyed under the retention schedule",
        "asking for figures rather than the case file",
        sensitive=("law", "personal"),
        environmental=True,
        personas=("resident", "campaign"),
        withheld=(("law", "details of open enforcement investigations"), ("personal", "the names of complainants")),
    ),
    _theme(
        "contaminated_land",
        ENVIRONMENT,
        ["Contaminated land register and investigations", "Ground contamination at {site}"],
        [
            "A copy of the contaminated land register.",
            "Any site investigation or remediation reports for {site}.",
            "The council's contaminated land inspection strategy.",
            "How many sites have been determined as contaminated land.",
        ],
        "Environmental Health",
        [
            "the register, the inspection strategy and the investigation reports",
            "site investigation reports, with the owners' personal details removed",
        ],
        "no investigation has been carried out at that site",
        "asking for one site",
        sensitive=("commercial", "personal", "legal"),
        environmental=True,
        period="none",
        personas=("company", "resident"),
        withheld=(
            ("personal", "the names of private landowners"),
            ("commercial", "the landowner's own remediation costings"),
        ),
    ),
    _theme(
        "flooding",
        ENVIRONMENT,
        [
            "Flood incidents and Section 19 investigations in {place}",
            "Flooding of {road}",
            "Surface water flooding reports {year}",
        ],
        [
            "How many properties flooded internally in the borough in each year.",
            "Copies of any flood investigation reports under section 19 of the Flood and Water Management Act 2010 for {place}.",
            "Drainage schemes planned for {road}.",
            "Spend on flood defence and drainage.",
            "The gully cleansing records for {road}.",
        ],
        "Flood Risk Management",
        [
            "flooding figures, the section 19 reports and the gully cleansing records",
            "investigation reports and planned schemes",
        ],
        "the council has not carried out a section 19 investigation for that area",
        "asking for the section 19 reports only",
        sensitive=("future", "personal"),
        environmental=True,
        period="cy",
        personas=("resident", "campaign"),
    ),
    _theme(
        "energy_net_zero",
        ENVIRONMENT,
        ["Council energy use and carbon emissions", "Net zero progress and energy costs {fy}"],
        [
            "Electricity and gas consumption for council buildings in each year.",
            "The council's own carbon emissions and its net zero target date.",
            "Spend on energy.",
            "The number of buildings with solar panels.",
            "Whether the council buys renewable electricity.",
        ],
        "Climate and Sustainability",
        [
            "energy use, emissions and costs, and the solar and renewable tariff position",
            "consumption and emissions figures",
        ],
        "consumption for schools is held by the schools themselves",
        "asking for the civic buildings only",
        sensitive=("commercial", "accessible"),
        environmental=True,
        personas=("campaign", "researcher", "company"),
    ),
    _theme(
        "climate_plan",
        ENVIRONMENT,
        ["Climate emergency action plan progress", "Climate action spending {fy}"],
        [
            "A progress report on the climate emergency action plan.",
            "Spend on climate actions in each year.",
            "The number of staff working on climate change.",
            "Any carbon offsetting purchased.",
        ],
        "Climate and Sustainability",
        ["the progress report, spend and staffing", "the action plan progress report"],
        "no carbon offsetting has been purchased",
        "asking for the progress report",
        sensitive=("future", "public_affairs"),
        environmental=True,
        personas=("campaign", "researcher"),
    ),
    _theme(
        "recycling",
        ENVIRONMENT,
        ["Where recycling goes: end destinations", "Household recycling rates and contamination"],
        [
            "The end destination of each recycled material, including any exported.",
            "The household recycling rate.",
            "The contamination rate of dry recycling.",
            "How much residual waste went to incineration and to landfill.",
        ],
        "Waste Services",
        ["end destinations, the recycling rate and contamination figures", "tonnages by destination"],
        "end destinations beyond the first reprocessor are not reported to the council",
        "asking for tonnages only",
        sensitive=("commercial",),
        environmental=True,
        personas=("campaign", "researcher"),
    ),
    _theme(
        "fly_tipping",
        ENVIRONMENT,
        ["Fly-tipping incidents and prosecutions", "Fly-tipping in {place}"],
        [
            "The number of fly-tipping incidents recorded.",
            "The cost of clearance.",
            "The number of fixed penalties, prosecutions and vehicle seizures.",
            "The fly-tipping hotspots in {place}.",
        ],
        "Environmental Enforcement",
        ["incident numbers, clearance costs and enforcement actions", "the figures returned to WasteDataFlow"],
        "clearance costs are not recorded by location",
        "asking for borough totals",
        sensitive=("law",),
        environmental=True,
        personas=("resident", "journalist"),
    ),
    _theme(
        "noise",
        ENVIRONMENT,
        ["Noise nuisance complaints and abatement notices", "Noise complaints about {site}"],
        [
            "How many noise complaints were received, by source.",
            "How many abatement notices were served.",
            "Any noise monitoring carried out at {site}.",
            "Whether the out-of-hours noise service still operates.",
        ],
        "Environmental Health",
        ["complaint numbers by source, abatement notices and the monitoring results", "noise complaint totals"],
        "no noise monitoring has been carried out at that address",
        "asking for totals",
        sensitive=("personal", "law"),
        environmental=True,
        personas=("resident",),
        withheld=(
            ("personal", "the names and addresses of complainants"),
            ("law", "details of the open investigation"),
        ),
    ),
    _theme(
        "pesticides",
        ENVIRONMENT,
        ["Use of glyphosate on council land", "Weed control and pesticide use"],
        [
            "Whether the council uses glyphosate or other herbicides on pavements, parks and verges.",
            "The quantity used in each year.",
            "Any trials of alternative weed control.",
            "The contractor responsible and the product names.",
        ],
        "Parks and Open Spaces",
        ["quantities used, products and the results of the trials", "the products and quantities"],
        "quantities applied by the contractor are not reported to the council",
        "asking for the products used",
        sensitive=("commercial",),
        environmental=True,
        personas=("campaign", "resident"),
    ),
    _theme(
        "ev_charging",
        ENVIRONMENT,
        ["Electric vehicle charge points", "On-street EV charging in {place}"],
        [
            "How many public EV charge points the council owns or has commissioned.",
            "Where they are.",
            "Usage figures for each.",
            "The operator and the contract terms.",
        ],
        "Transport Planning",
        ["charge point numbers, locations and usage", "locations and the operator"],
        "usage data is held by the operator",
        "asking for locations and numbers",
        sensitive=("commercial",),
        environmental=True,
        period="none",
        personas=("company", "resident"),
    ),
    _theme(
        "traffic_scheme",
        ENVIRONMENT,
        ["Low traffic neighbourhood in {place}: traffic counts", "Consultation on the traffic scheme for {road}"],
        [
            "Traffic counts on {road} before and after the scheme.",
            "The consultation responses and analysis.",
            "Air quality readings in the scheme area.",
            "The cost of the scheme.",
        ],
        "Transport Planning",
        [
            "the traffic counts, air quality readings and the consultation analysis",
            "traffic counts and the consultation report",
        ],
        "no counts were taken before the scheme",
        "asking for the counts and the consultation report",
        sensitive=("personal", "future"),
        environmental=True,
        personas=("resident", "campaign"),
    ),
    _theme(
        "viability",
        ENVIRONMENT,
        ["Viability assessment for {site}", "Affordable housing viability at {site}"],
        [
            "The viability assessment submitted by the developer of {site}.",
            "The council's independent review of it.",
            "The affordable housing percentage agreed.",
            "Any section 106 obligations.",
        ],
        "Development Management",
        [
            "the council's review of the assessment and the section 106 agreement",
            "the section 106 agreement and a summary of the viability position",
        ],
        "no viability assessment was submitted for that application",
        "asking for the council's review only",
        sensitive=("commercial",),
        environmental=True,
        period="none",
        personas=("campaign", "resident", "journalist"),
        withheld=(("commercial", "the developer's detailed cost and revenue assumptions"),),
    ),
    _theme(
        "verges",
        ENVIRONMENT,
        ["Grass verge cutting and wildflower verges", "Mowing regime for verges in {place}"],
        [
            "The grass cutting schedule for verges.",
            "Which verges are managed for wildflowers.",
            "The cost of the verge cutting contract.",
            "Any biodiversity survey of verges.",
        ],
        "Parks and Open Spaces",
        [
            "the cutting schedule, the wildflower verge list and the contract cost",
            "the schedule and the list of verges",
        ],
        "no biodiversity survey has been done",
        "asking for the schedule",
        sensitive=("commercial",),
        environmental=True,
        period="none",
        personas=("resident", "campaign"),
    ),
    _theme(
        "river_pollution",
        ENVIRONMENT,
        ["Pollution incidents in the {river}", "Water quality at {river}"],
        [
            "Any pollution incidents in the {river} reported to the council.",
            "Correspondence with the water company or the Environment Agency about them.",
            "Any water quality testing carried out by the council.",
            "Signs or warnings issued to the public.",
        ],
        "Environmental Health",
        ["incident records and correspondence with the water company", "the incident log and test results"],
        "the council does not test river water; that is a matter for the Environment Agency",
        "asking for the incident log",
        sensitive=("commercial", "law"),
        environmental=True,
        period="cy",
        personas=("campaign", "resident"),
    ),
    _theme(
        "biodiversity",
        ENVIRONMENT,
        ["Biodiversity net gain agreements", "Habitat surveys for {site}"],
        [
            "A list of biodiversity net gain agreements and the off-site units allocated.",
            "Monitoring reports for those agreements.",
            "The ecological survey for {site}.",
            "Any protected species recorded on council land.",
        ],
        "Development Management",
        ["the list of agreements and the monitoring reports", "the agreements and the survey"],
        "no monitoring reports are due yet",
        "asking for the list of agreements",
        sensitive=("environment", "commercial"),
        environmental=True,
        period="none",
        personas=("campaign", "researcher"),
    ),
    _theme(
        "gullies",
        ENVIRONMENT,
        ["Gully cleansing schedule", "Blocked drains on {road}"],
        [
            "The gully cleansing schedule for the borough.",
            "The cleansing records for {road}.",
            "How many gullies are blocked or defective.",
            "The budget for drainage maintenance.",
        ],
        "Highways",
        ["the schedule, the records for the road and the budget", "cleansing records"],
        "records of individual gully visits are kept by the contractor for 12 months only",
        "asking for one road",
        environmental=True,
        period="none",
        personas=("resident",),
    ),
)


# ---------------------------------------------------------------------------------------------
# Exemptions: categories of harm and the codes for each regime
# ---------------------------------------------------------------------------------------------

CATEGORY_CODES: dict[str, dict[Regime, tuple[str, ...]]] = {
    "commercial": {Regime.FOIA: ("FOIA-s43",), Regime.EIR: ("EIR-r12(5)(e)",), Regime.FOISA: ("FOISA-s33",)},
    "personal": {Regime.FOIA: ("FOIA-s40",), Regime.EIR: ("EIR-r13",), Regime.FOISA: ("FOISA-s38",)},
    "law": {Regime.FOIA: ("FOIA-s31",), Regime.EIR: ("EIR-r12(5)(b)",), Regime.FOISA: ("FOISA-s35",)},
    "security": {
        Regime.FOIA: ("FOIA-s31", "FOIA-s24"),
        Regime.EIR: ("EIR-r12(5)(a)",),
        Regime.FOISA: ("FOISA-s35", "FOISA-s31"),
    },
    "legal": {Regime.FOIA: ("FOIA-s42",), Regime.EIR: ("EIR-r12(5)(b)",), Regime.FOISA: ("FOISA-s36",)},
    "future": {Regime.FOIA: ("FOIA-s22",), Regime.EIR: ("EIR-r12(4)(d)",), Regime.FOISA: ("FOISA-s27",)},
    "public_affairs": {Regime.FOIA: ("FOIA-s36",), Regime.EIR: ("EIR-r12(4)(e)",), Regime.FOISA: ("FOISA-s30",)},
    "health_safety": {Regime.FOIA: ("FOIA-s38",), Regime.EIR: ("EIR-r12(5)(a)",), Regime.FOISA: ("FOISA-s39",)},
    "accessible": {Regime.FOIA: ("FOIA-s21",), Regime.FOISA: ("FOISA-s25",)},
    "confidence": {Regime.FOIA: ("FOIA-s41",), Regime.EIR: ("EIR-r12(5)(f)",), Regime.FOISA: ("FOISA-s36",)},
    "environment": {Regime.EIR: ("EIR-r12(5)(g)",), Regime.FOIA: ("FOIA-s38",), Regime.FOISA: ("FOISA-s39",)},
}
# The EISR's exceptions mirror the EIR's: reg 12(4) and (5) are its reg 10(4) and (5), reg 13 its reg 11.
for _by_regime in CATEGORY_CODES.values():
    if Regime.EIR in _by_regime:
        _by_regime[Regime.EISR] = tuple(
            code.replace("EIR-r12", "EISR-r10").replace("EIR-r13", "EISR-r11") for code in _by_regime[Regime.EIR]
        )

# What is held back, and why, per category: (what, harm)
_WITHHELD: dict[str, tuple[str, str]] = {
    "commercial": (
        "the unit rates and pricing schedules",
        "Releasing it would be likely to prejudice the commercial interests of the company concerned, and the council's own position the next time it negotiates or tenders.",
    ),
    "personal": (
        "the names of staff below head of service level, and any figure below five that could identify someone",
        "This is personal data, and releasing it would not be fair or lawful under the UK GDPR.",
    ),
    "law": (
        "details that would show where and when enforcement or counter-fraud activity takes place",
        "Releasing it would be likely to prejudice the prevention and detection of crime.",
    ),
    "security": (
        "technical details of our systems and security controls",
        "Releasing it would make the council's systems more vulnerable to attack.",
    ),
    "legal": (
        "legal advice given to the council",
        "The advice is subject to legal professional privilege, and the council must be able to take frank legal advice.",
    ),
    "future": (
        "the final figures, which are due to be published shortly",
        "It will be published in the next annual report, and it is reasonable to wait for that publication.",
    ),
    "public_affairs": (
        "internal discussion papers and draft options",
        "Releasing it would inhibit the free and frank exchange of views while decisions are still being made.",
    ),
    "health_safety": (
        "precise locations and access arrangements",
        "Releasing it would be likely to endanger the safety of staff and the public.",
    ),
    "accessible": (
        "information already published on the council's website",
        "It is reasonably accessible to you already: see the Transparency pages of our website, where it is updated quarterly.",
    ),
    "confidence": (
        "information given to the council in confidence by a third party",
        "Releasing it would be an actionable breach of confidence.",
    ),
    "environment": (
        "the precise locations of protected species",
        "Releasing it would put the species at risk of disturbance or harm.",
    ),
}


def codes_for(categories: tuple[str, ...] | list[str], regime: Regime, rng: random.Random) -> list[str]:
    """Exemption codes valid under `regime` for the first usable categories (one or two of them)."""
    usable = [c for c in categories if regime in CATEGORY_CODES.get(c, {})]
    if not usable:
        usable = ["personal"]
    chosen = usable[:1] if len(usable) == 1 or rng.random() < 0.7 else usable[:2]
    codes: list[str] = []
    for category in chosen:
        options = CATEGORY_CODES[category][regime]
        codes.append(options[0] if len(options) == 1 or rng.random() < 0.75 else options[1])
    return list(dict.fromkeys(codes))


def category_of(code: str) -> str:
    for category, by_regime in CATEGORY_CODES.items():
        if any(code in codes for codes in by_regime.values()):
            return category
    return "personal"


def provision_text(code: str) -> str:
    """'section 43 of the Freedom of Information Act 2000 (commercial interests)'."""
    exemption = get_exemption(code)
    provision = exemption.provision.replace("s.", "section ").replace("reg. ", "regulation ")
    title = exemption.title[0].lower() + exemption.title[1:]
    law = {
        Regime.FOIA: "the Freedom of Information Act 2000",
        Regime.EIR: "the Environmental Information Regulations 2004",
        Regime.FOISA: "the Freedom of Information (Scotland) Act 2002",
        Regime.EISR: "the Environmental Information (Scotland) Regulations 2004",
    }[exemption.regime]
    return f"{provision} of {law} ({title})"


def short_provision(code: str) -> str:
    """'s.43', 'reg. 12(5)(e)': how officers write it in notes."""
    return get_exemption(code).provision


# ---------------------------------------------------------------------------------------------
# Places, people and things (all invented)
# ---------------------------------------------------------------------------------------------

PLACES = (
    "Ashcombe",
    "Brackenfield",
    "Coldharbour Vale",
    "Dunmere",
    "Elmstead Green",
    "Fairholme",
    "Greyfriars",
    "Hollins Cross",
    "Kingsmere",
    "Lowther Park",
    "Millbrook End",
    "Northgate",
    "Oakhurst",
    "Pennington Rise",
    "Redwell",
    "St Aldric's",
    "Thornby Fields",
    "Upper Wenham",
    "Westmoor",
    "Yarrow Bridge",
)
ROADS = (
    "Station Road",
    "Mill Lane",
    "Church Street, Ashcombe",
    "the Kingsmere bypass (A4127)",
    "Hollins Cross Road",
    "Northgate High Street",
    "Fairholme Avenue",
    "Wenham Hill",
    "Coldharbour Lane",
    "Riverside Walk",
    "Oakhurst Drive",
    "Brackenfield Road",
    "Tanners Row",
    "Pennington Way",
    "the B5190 Westmoor Road",
)
SUPPLIERS: dict[str, tuple[str, ...]] = {
    "general": (
        "Brightwater Consulting Ltd",
        "Calder & Finch LLP",
        "Castellan Facilities Ltd",
        "Northfold Digital Ltd",
        "Harlow Stride Advisory",
        "Bluefern IT Solutions",
    ),
    "consulting": ("Brightwater Consulting Ltd", "Calder & Finch LLP", "Harlow Stride Advisory", "Pemberton Vance LLP"),
    "recruitment": ("Keystone Agency Partners", "Apexline Recruitment", "Talentry Public Sector Ltd"),
    "it": ("Northfold Digital Ltd", "Bluefern IT Solutions", "Tessellate Software Ltd"),
    "training": ("Quayside Training Ltd", "Brightwater Consulting Ltd", "Lanterne Learning Ltd"),
    "waste": ("Greenmoor Waste Services", "Cleanline Environmental Ltd"),
    "care": ("Meridian Care Group", "Hearthside Children's Homes Ltd", "Silverbirch Home Care Ltd"),
    "highways": ("Harrowgate Highways Ltd", "Kerbstone Civils Ltd"),
    "housing": ("Oakridge Temporary Housing Ltd", "Wayfarer Lodgings Ltd"),
    "energy": ("Lumen Energy Services", "Voltaic Charge Networks Ltd"),
    "parking": ("Sentinel Parking Solutions", "Civic Patrol Services Ltd"),
    "pest": ("Redbank Pest Management",),
    "transport": ("Castle Cabs (Kingsmere) Ltd", "Wenham Valley Coaches", "Northgate Private Hire Ltd"),
    "property": ("Castellan Facilities Ltd", "Greyfriars Estates LLP", "Ashcombe Land Partnership"),
    "leisure": ("Activa Community Leisure Trust",),
}
# which suppliers a theme's requests and notes talk about (default "general")
THEME_SECTORS = {
    "consultancy": "consulting",
    "legal_spend": "consulting",
    "regeneration": "property",
    "commercial_property": "property",
    "agency_staff": "recruitment",
    "social_workers": "recruitment",
    "training": "training",
    "it_systems": "it",
    "cyber_budget": "it",
    "cyber_incidents": "it",
    "mobile_devices": "it",
    "ai_use": "it",
    "missed_bins": "waste",
    "recycling": "waste",
    "fly_tipping": "waste",
    "fixed_penalties": "parking",
    "childrens_placements": "care",
    "care_home_fees": "care",
    "dols": "care",
    "safeguarding": "care",
    "potholes": "highways",
    "highways_contract": "highways",
    "street_lighting": "highways",
    "gullies": "highways",
    "verges": "highways",
    "pesticides": "highways",
    "temp_accommodation_costs": "housing",
    "homelessness": "housing",
    "housing_repairs": "property",
    "damp_mould": "property",
    "energy_net_zero": "energy",
    "ev_charging": "energy",
    "climate_plan": "energy",
    "parking_pcns": "parking",
    "parking_contract": "parking",
    "blue_badge": "parking",
    "pest_control": "pest",
    "school_transport": "transport",
    "bus_subsidies": "transport",
    "taxi_licensing": "transport",
    "leisure": "leisure",
    "office_use": "property",
    "viability": "property",
    "planning_conditions": "property",
    "contaminated_land": "property",
    "biodiversity": "property",
    "trees": "property",
}
SCHOOLS = (
    "Ashcombe Primary School",
    "Kingsmere Academy",
    "St Aldric's CE Primary School",
    "Westmoor Special School",
    "Northgate High School",
    "Millbrook Community College",
)
SYSTEMS = (
    "the revenues and benefits system",
    "the social care case management system",
    "the housing management system",
    "the HR and payroll system",
    "the customer relationship management system",
    "the planning and building control system",
)
SITES = (
    "land north of Millbrook Lane",
    "the former Kingsmere gasworks",
    "Greyfriars Retail Park",
    "the Northgate bus depot site",
    "Oakhurst Farm",
    "the old Dunmere cattle market",
    "Pennington Rise phase 2",
    "the Wenham Hill quarry",
)
RIVERS = ("River Wenn", "Millbrook", "Dunmere Brook", "River Aldric")
AMOUNTS = ("£5,000", "£25,000", "£50,000", "£100,000", "£250,000")
MONTHS = MONTH_NAMES  # the same words the messages use

# No name that is also an everyday word or a place in the texts below ("green", "ward", "price"):
# the demo log must show no requester's name, and a search for one must find nothing.
FIRST_NAMES = (
    "Aisha",
    "Alan",
    "Amelia",
    "Andrew",
    "Ben",
    "Bethan",
    "Callum",
    "Catherine",
    "Chidi",
    "Chloe",
    "Connor",
    "Daniel",
    "Deborah",
    "Eilidh",
    "Emma",
    "Fatima",
    "Gareth",
    "Gracie",
    "Hamza",
    "Hannah",
    "Harriet",
    "Imran",
    "Isla",
    "Jacob",
    "James",
    "Jasmine",
    "Joanne",
    "Kamal",
    "Karen",
    "Kwame",
    "Laura",
    "Liam",
    "Lucy",
    "Mairead",
    "Marcus",
    "Margaret",
    "Mohammed",
    "Natalie",
    "Niamh",
    "Oliver",
    "Olu",
    "Paul",
    "Philippa",
    "Rachel",
    "Rhys",
    "Robert",
    "Ruth",
    "Saira",
    "Sean",
    "Siobhan",
    "Sophie",
    "Stephen",
    "Tariq",
    "Tom",
    "Vikram",
    "Wei",
    "Yasmin",
    "Zoe",
)
SURNAMES = (
    "Adeyemi",
    "Ahmed",
    "Armstrong",
    "Bailey",
    "Bennett",
    "Bhatt",
    "Campbell",
    "Chen",
    "Clarke",
    "Davies",
    "Doherty",
    "Edwards",
    "Evans",
    "Fletcher",
    "Fraser",
    "Gallagher",
    "Greaves",
    "Halliday",
    "Hughes",
    "Hussain",
    "Jenkins",
    "Johnson",
    "Kaur",
    "Kelly",
    "Khan",
    "Lewis",
    "Macdonald",
    "McLeod",
    "Mensah",
    "Mitchell",
    "Morgan",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Okonkwo",
    "Osei",
    "Parry",
    "Patel",
    "Pryce",
    "Reid",
    "Roberts",
    "Robinson",
    "Shah",
    "Singh",
    "Stewart",
    "Sutherland",
    "Taylor",
    "Thomas",
    "Turner",
    "Walsh",
    "Wardle",
    "Watson",
    "Whiteley",
    "Williams",
    "Wilson",
    "Wright",
    "Youngs",
)
EMAIL_DOMAINS = ("example.org", "example.com", "example.net")
STREETS = (
    "Alder Close",
    "Beech Grove",
    "Chapel Row",
    "Dovecote Lane",
    "Elm Road",
    "Foundry Street",
    "Gorse Way",
    "Hawthorn Crescent",
    "Ivy Terrace",
    "Juniper Court",
    "Larch Avenue",
    "Maple Drive",
    "Nursery Lane",
    "Orchard Rise",
    "Priory Walk",
    "Quarry Road",
    "Rowan Gardens",
    "Sandpit Lane",
    "Tithe Barn Close",
    "Victoria Terrace",
    "Willow Bank",
    "Yew Tree Road",
)
SCOTTISH_TOWNS = (
    ("Inverbrae", "PH"),
    ("Glenmorrow", "KY"),
    ("Kirkton of Aird", "DD"),
    ("Balnacraig", "AB"),
    ("Strathallan Bridge", "FK"),
    ("Portmair", "EH"),
    ("Drumlochan", "G"),
)
ELSEWHERE = (
    ("Harbury Cross", "CV"),
    ("Sutton Fenwick", "LN"),
    ("Bramleigh", "GU"),
    ("Castlemoor", "NE"),
    ("Penrydd", "CF"),
    ("Ashby Vale", "LE"),
    ("Kelbrook", "BD"),
    ("Wimbourne Heath", "BH"),
)
LOCAL_POSTCODE_AREA = "DB"  # "Demo Borough": not a real postcode area
PAPERS = (
    "the Kingsmere Chronicle",
    "the Northgate Echo",
    "the Borough Bulletin",
    "a regional news agency",
    "an online local news site",
)
GROUPS = {
    "environment": (
        "Friends of Millbrook Valley",
        "Kingsmere Cycle Campaign",
        "Clean Air Northgate",
        "the Borough Climate Alliance",
        "Westmoor Residents' Association",
    ),
    PEOPLE: ("Ashcombe Tenants' Forum", "Parents for SEND Fairness", "Carers' Voice", "the Borough Renters' Union"),
    CORPORATE: (
        "Westmoor Residents' Association",
        "the Borough Taxpayers' Forum",
        "Open Council Watch",
        "the Northgate Civic Society",
    ),
}
COMPANIES = (
    "Brightpath Data Ltd",
    "Ledgerline Analytics",
    "Civic Market Insight Ltd",
    "Ratewise Recovery Ltd",
    "Harbour Lane Research",
    "Tendersight Ltd",
)


@dataclass(frozen=True, slots=True)
class Requester:
    name: str
    first: str
    email: str | None
    address: str | None
    persona: str
    organisation: str | None


def _postcode(rng: random.Random, area: str) -> str:
    inward_letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{area}{rng.randint(1, 19)} {rng.randint(1, 9)}{rng.choice(inward_letters)}{rng.choice(inward_letters)}"


def _address(rng: random.Random, regime: Regime) -> str:
    house = rng.choice(
        [
            f"{rng.randint(1, 140)}",
            f"Flat {rng.randint(1, 24)}, {rng.choice(('Lindsey', 'Harcourt', 'Marlow', 'Seaton'))} House,",
        ]
    )
    street = rng.choice(STREETS)
    if regime.rules.calendar is CalendarName.SCOTLAND:
        town, area = rng.choice(SCOTTISH_TOWNS)
    elif rng.random() < 0.7:
        town, area = rng.choice(PLACES), LOCAL_POSTCODE_AREA
    else:
        town, area = rng.choice(ELSEWHERE)
    return f"{house} {street}, {town}, {_postcode(rng, area)}"


def _email(rng: random.Random, first: str, last: str) -> str:
    f = "".join(ch for ch in first.lower() if ch.isalpha())
    l_ = "".join(ch for ch in last.lower() if ch.isalpha())
    local = rng.choice(
        (
            f"{f}.{l_}",
            f"{f[0]}{l_}",
            f"{f}{l_}{rng.randint(1, 99)}",
            f"{l_}.{f}",
            f"{f}_{l_}",
            f"{f}.{l_}{rng.randint(70, 99)}",
        )
    )
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def make_requester(rng: random.Random, theme: Theme, regime: Regime, channel: str) -> Requester:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    persona = (
        rng.choice(theme.personas)
        if theme.personas and rng.random() < 0.8
        else rng.choice(("resident", "resident", "journalist", "researcher", "campaign", "company"))
    )
    groups = GROUPS["environment" if theme.environmental or theme.department == ENVIRONMENT else theme.department]
    organisation = {
        "journalist": rng.choice(PAPERS),
        "campaign": rng.choice(groups),
        "company": rng.choice(COMPANIES),
        "researcher": "a university research project",
    }.get(persona)
    email: str | None
    address: str | None
    if channel == "post":
        email = _email(rng, first, last) if rng.random() < 0.2 else None
        address = _address(rng, regime)
    else:
        email = _email(rng, first, last)
        address = _address(rng, regime) if (channel in ("phone", "in_person") or rng.random() < 0.25) else None
    return Requester(f"{first} {last}", first, email, address, persona, organisation)


# ---------------------------------------------------------------------------------------------
# Rendering requests
# ---------------------------------------------------------------------------------------------


def financial_year(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def make_context(rng: random.Random, received: date, theme: Theme) -> dict[str, str]:
    """The placeholder values for one request, relative to the date it was received."""
    last_fy_start = received.year - 1 if received.month >= 4 else received.year - 2
    months_since_0 = received.year * 12 + received.month - 1 - rng.randint(2, 8)
    month_year, month_back = divmod(months_since_0, 12)
    place, place2 = rng.sample(PLACES, 2)
    return {
        "fy": financial_year(last_fy_start),
        "fy_prev": financial_year(last_fy_start - 1),
        "fy_prev2": financial_year(last_fy_start - 2),
        "year": str(received.year - 1),
        "year_prev": str(received.year - 2),
        "month_year": f"{MONTHS[month_back]} {month_year}",
        "place": place,
        "place2": place2,
        "road": rng.choice(ROADS),
        "supplier": rng.choice(SUPPLIERS[THEME_SECTORS.get(theme.key, "general")]),
        "school": rng.choice(SCHOOLS),
        "system": rng.choice(SYSTEMS),
        "site": rng.choice(SITES),
        "river": rng.choice(RIVERS),
        "amount": rng.choice(AMOUNTS),
    }


def fill(template: str, ctx: dict[str, str]) -> str:
    return template.format_map(ctx)


# (greeting, the sentence that leads into the numbered questions)
_GREETINGS = (
    "Dear Sir or Madam,",
    "Dear FOI team,",
    "Hello,",
    "Dear Information Governance team,",
    "To whom it may concern,",
    "Good afternoon,",
    "Dear Council,",
)
_LEADS = {
    Regime.FOIA: (
        "Please provide the following information under the Freedom of Information Act 2000:",
        "Under the Freedom of Information Act 2000, I would be grateful if you could tell me:",
        "This is a request for information under the Freedom of Information Act 2000. Please send me:",
        "I would like to request the following under the Freedom of Information Act:",
        "I am writing to make a request under the Freedom of Information Act 2000 for the following:",
    ),
    Regime.EIR: (
        "Please provide the following environmental information under the Environmental Information Regulations 2004:",
        "I am requesting the following under the Environmental Information Regulations 2004 (and, for anything you do not consider environmental, under the Freedom of Information Act 2000):",
        "Under the EIR 2004, please could you provide:",
        "I believe the following is environmental information, so I am asking for it under the Environmental Information Regulations:",
    ),
    Regime.FOISA: (
        "Under the Freedom of Information (Scotland) Act 2002, please provide the following:",
        "I am making a request under the Freedom of Information (Scotland) Act 2002. Please send me:",
        "I write from Scotland to request, under FOISA 2002, the following information:",
    ),
    Regime.EISR: (
        "Under the Environmental Information (Scotland) Regulations 2004, please provide the following:",
        "I am asking for the following environmental information under the EIRs (Scotland) 2004:",
    ),
}

# The regimes the demo writes requests for: those it has wording for (a new regime appears in the
# demo once its lead sentences, law names and rights paragraph are added here).
DEMO_REGIMES: tuple[Regime, ...] = tuple(regime for regime in Regime if regime in _LEADS)

_INTRODUCTIONS = {
    "resident": (
        "I live in {place} and have been following this issue for some time.",
        "As a resident of the borough, I would like to understand this better.",
        "I am a council tax payer in {place}.",
    ),
    "journalist": (
        "I am a reporter with {org} and am researching a story on this subject.",
        "I am a journalist working for {org}.",
    ),
    "researcher": (
        "I am collecting this information for {org} comparing councils across England.",
        "This request is part of {org}; the same questions are being sent to a number of authorities.",
    ),
    "campaign": (
        "I am writing on behalf of {org}.",
        "I am the secretary of {org}, and our members have asked me to find out the following.",
    ),
    "company": (
        "I work for {org}, and we are sending this request to a number of councils.",
        "I am writing on behalf of {org}.",
    ),
}

_PERIODS = {
    "fy": (
        "Please give the figures for each of the financial years {fy_prev} and {fy}.",
        "Please cover the financial years {fy_prev2}, {fy_prev} and {fy}.",
        "I am interested in the financial years {fy_prev} and {fy}. If the information is held by calendar year instead, that is fine.",
        "For the financial year {fy} only, please.",
    ),
    "cy": (
        "Please give the figures for the calendar years {year_prev} and {year}.",
        "Please cover {year_prev} and {year}, by year.",
        "For the calendar year {year}, please.",
    ),
    "none": ("",),
}

_CLOSINGS = (
    "I would prefer to receive the information electronically, ideally as a spreadsheet (CSV or Excel).",
    "If any part of this request would exceed the cost limit, please tell me how I could narrow it, and answer the parts you can.",
    "If anything is unclear, please contact me and I will be happy to clarify.",
    "I understand you may need to redact personal data. Please do that rather than withhold whole documents.",
    "If the information is already published, a link to it will be fine.",
    "Thank you in advance for your help.",
)
_SIGN_OFFS = (
    "Yours faithfully,\n{name}",
    "Kind regards,\n{name}",
    "Many thanks,\n{first}",
    "Best wishes,\n{name}",
    "Regards,\n{name}",
    "Thanks,\n{first}",
)


def render_request(rng: random.Random, theme: Theme, regime: Regime, ctx: dict[str, str], requester: Requester) -> tuple[str, str]:
    """A title as an officer would log it, and the body as the requester wrote it."""
    title = fill(rng.choice(theme.titles), ctx)
    extra = [ask for ask in theme.asks[2:] if rng.random() < 0.55]
    asks = [fill(ask, ctx) for ask in (*theme.asks[:2], *extra)]
    intro = ""
    if requester.organisation and rng.random() < 0.75:
        intro = rng.choice(_INTRODUCTIONS[requester.persona]).format(org=requester.organisation, **ctx)
    elif requester.persona == "resident" and regime.rules.calendar is not CalendarName.SCOTLAND and rng.random() < 0.4:
        intro = fill(rng.choice(_INTRODUCTIONS["resident"]), ctx)
    period = fill(rng.choice(_PERIODS[theme.period]), ctx)
    closings = rng.sample(_CLOSINGS, rng.randint(1, 2))
    sign_off = rng.choice(_SIGN_OFFS).format(name=requester.name, first=requester.first)

    parts: list[str] = []
    if rng.random() < 0.15:
        # the short kind, often from the web form
        law = {
            Regime.FOIA: "the Freedom of Information Act",
            Regime.EIR: "the Environmental Information Regulations",
            Regime.FOISA: "the Freedom of Information (Scotland) Act",
            Regime.EISR: "the Environmental Information (Scotland) Regulations",
        }[regime]
        parts.append(
            f"{rng.choice(('Hi,', 'Hello,', 'Dear Sir or Madam,'))}\n\nI would like to ask, under {law}, for the following. {asks[0]}"
        )
        if period:
            parts.append(period)
        parts.append(sign_off)
        return title, "\n\n".join(parts)
    lead = rng.choice(_LEADS[regime])
    parts.append(f"{rng.choice(_GREETINGS)}\n\n{intro + ' ' if intro else ''}{lead}")
    parts.append("\n".join(f"{number}. {ask}" for number, ask in enumerate(asks, start=1)))
    if period:
        parts.append(period)
    parts.append(" ".join(closings))
    parts.append(sign_off)
    return title, "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Rendering responses
# ---------------------------------------------------------------------------------------------

_LAW = {
    Regime.FOIA: "the Freedom of Information Act 2000",
    Regime.EIR: "the Environmental Information Regulations 2004",
    Regime.FOISA: "the Freedom of Information (Scotland) Act 2002",
    Regime.EISR: "the Environmental Information (Scotland) Regulations 2004",
}

_RIGHTS = {
    Regime.FOIA: (
        "If you are unhappy with how we have handled your request, you may ask for an internal review by replying "
        "within 40 working days. If you remain dissatisfied after the review, you can complain to the "
        "Information Commissioner's Office."
    ),
    Regime.EIR: (
        "If you are unhappy with this response, you may ask us to reconsider it under regulation 11 by writing "
        "to us within 40 working days. You can then complain to the Information Commissioner's Office."
    ),
    Regime.FOISA: (
        "If you are dissatisfied with this response, you may ask for a review under section 20 within 40 "
        "working days. If you remain dissatisfied after the review, you may apply to the Scottish "
        "Information Commissioner."
    ),
    Regime.EISR: (
        "If you are dissatisfied with this response, you may ask us to review it under regulation 16 within 40 "
        "working days. If you remain dissatisfied after the review, you may apply to the Scottish "
        "Information Commissioner."
    ),
}

_COST_LIMIT = {
    Regime.FOIA: (
        "section 12 of the Freedom of Information Act 2000",
        "the appropriate limit of £450, which represents 18 hours of work at £25 an hour",
    ),
    Regime.FOISA: ("section 12 of the Freedom of Information (Scotland) Act 2002", "the prescribed limit of £600"),
}


def _pit_sentence(code: str, regime: Regime) -> str:
    exemption = get_exemption(code)
    # personal data and the like: the demo's refusals rest on the absolute part of a partly absolute exemption
    if exemption.absolute or exemption.absolute_in_part or code in ("EIR-r13", "EISR-r11"):
        return ""
    if regime.rules.environmental:
        presumption = "10(2)" if regime is Regime.EISR else "12(2)"
        return (
            f" We have applied the presumption in favour of disclosure in regulation {presumption} and weighed the public "
            "interest: there is a real public interest in transparency, but on balance it favours maintaining the exception."
        )
    return (
        " This is a qualified exemption, so we have considered the public interest. We recognise the value of "
        "transparency about how public money is spent, but we have concluded that the public interest in "
        "maintaining the exemption outweighs the public interest in disclosure."
    )


def render_response(
    rng: random.Random,
    theme: Theme,
    regime: Regime,
    outcome: Outcome,
    codes: list[str],
    ctx: dict[str, str],
    requester_first: str,
    received: date,
) -> str:
    greeting = f"Dear {requester_first},"
    thanks = (
        f"Thank you for your request for information received on {received.day} {MONTHS[received.month - 1]} "
        f"{received.year}, which we have dealt with under {_LAW[regime]}."
    )
    released = fill(rng.choice(theme.released), ctx)
    body: list[str] = []
    if outcome is Outcome.GRANTED_IN_FULL:
        body.append(f"We hold the information you asked for. Please find attached {released}.")
        if rng.random() < 0.4:
            body.append(
                "Where a figure is nil we have shown it as 0, and where a question asked for a total we have given it for each year."
            )
    elif outcome is Outcome.GRANTED_IN_PART:
        body.append(f"We hold the information you asked for, and we are releasing {released}.")
        for code in codes:
            category = category_of(code)
            what = dict(theme.withheld).get(category, _WITHHELD[category][0])
            harm = _WITHHELD[category][1]
            body.append(f"Under {provision_text(code)}, we have withheld {what}. {harm}{_pit_sentence(code, regime)}")
    elif outcome is Outcome.REFUSED_IN_FULL:
        if codes == ["EIR-r12(4)(b)"]:
            body.append(
                "We consider the request manifestly unreasonable under regulation 12(4)(b) of the Environmental "
                "Information Regulations 2004: answering it would mean searching several years of records held "
                "across three teams, a burden out of proportion to the value of the information. "
                f"You may wish to consider {theme.narrow}, and we would be happy to help you do so."
            )
            body.append(_pit_sentence(code="EIR-r12(4)(b)", regime=regime).strip())
        else:
            body.append("We hold information within the scope of your request, but we are withholding it.")
            for code in codes:
                _, harm = _WITHHELD[category_of(code)]
                body.append(f"The information is exempt under {provision_text(code)}. {harm}{_pit_sentence(code, regime)}")
    elif outcome is Outcome.NOT_HELD:
        not_held = fill(theme.not_held, ctx)
        body.append(f"We have searched the records of the {theme.holder} team and we do not hold this information: {not_held}.")
        if rng.random() < 0.5:
            body.append("Where we hold related information we have included it below for your interest, outside the terms of the Act.")
    elif outcome is Outcome.REFUSED_COST:
        provision, limit = _COST_LIMIT.get(regime, _COST_LIMIT[Regime.FOIA])
        hours = rng.randint(22, 60)
        body.append(
            f"We estimate that answering your request in full would take about {hours} hours, because the "
            f"information is not held in one place and would have to be extracted record by record. This "
            f"exceeds {limit}, so under {provision} we are not obliged to answer it."
        )
        body.append(f"To help you, you could consider {theme.narrow}. If you send a refined request we will treat it as new.")
    elif outcome is Outcome.REFUSED_VEXATIOUS:
        law = (
            "section 14(1) of the Freedom of Information Act 2000"
            if regime is Regime.FOIA
            else "section 14(1) of the Freedom of Information (Scotland) Act 2002"
        )
        body.append(
            f"We consider this request vexatious under {law}. It is one of {rng.randint(14, 40)} requests on "
            f"closely related matters received from you in the last {rng.randint(4, 9)} months, several of them "
            "made while earlier ones were still being answered, and taken together they impose a burden on the "
            "council that is disproportionate to any wider public value."
        )
    elif outcome is Outcome.REFUSED_REPEATED:
        law = (
            "section 14(2) of the Freedom of Information Act 2000"
            if regime is Regime.FOIA
            else "section 14(2) of the Freedom of Information (Scotland) Act 2002"
        )
        body.append(
            f"This request is substantially similar to one you made earlier, which we answered in "
            f"{MONTHS[(received.month - rng.randint(2, 5) - 1) % 12]}. A reasonable interval has not passed since "
            f"then and the information has not changed, so under {law} we are not obliged to comply again. "
            "Our earlier response is still available on request."
        )
    elif outcome is Outcome.NEITHER_CONFIRM_NOR_DENY:
        body.append("We can neither confirm nor deny whether we hold the information you have asked for.")
        for code in codes:
            _, harm = _WITHHELD[category_of(code)]
            body.append(
                f"We rely on {provision_text(code)}: in this case even confirming or denying that the "
                f"information exists would disclose something that the exemption protects. {harm}"
            )
        body.append("This should not be taken as an indication that the information does or does not exist.")
    elif outcome is Outcome.ADVICE_AND_ASSISTANCE:
        body.append("As worded, your request does not allow us to identify the information you want with confidence.")
        body.append(
            f"Much of what you are interested in is published on our website ({theme.holder} pages), and we "
            f"suggest {theme.narrow}. Please reply with a revised request and we will deal with it promptly."
        )
    body = [paragraph for paragraph in body if paragraph]
    return "\n\n".join([greeting, thanks, *body, _RIGHTS[regime], "Yours sincerely,\nInformation Governance Team"])


# ---------------------------------------------------------------------------------------------
# Case notes
# ---------------------------------------------------------------------------------------------

ASSIGN_NOTES = (
    "Allocated to {assignee}.",
    "Allocated to {assignee}; needs figures from {holder}.",
    "Similar request answered last year: check the disclosure log before going to {holder}.",
    "Allocated. Round-robin request, probably sent to every council.",
    None,
    None,
)
START_NOTES = (
    "Passed to {holder} for the figures.",
    "Sent to {holder} with a return date of ten working days.",
    "Acknowledged; sent to {holder}.",
    "Logged and acknowledged. Asked {holder} what they hold.",
    "Checked the transparency pages: part of this is already published. Asked {holder} for the rest.",
)
CHASE_NOTES = (
    "Chased {holder}.",
    "Chased {holder} again; figures promised by Friday.",
    "{holder} returned a spreadsheet; checking the totals against the published accounts.",
    "Requester emailed asking for an update; told we are on track.",
    "{holder} say the older data is in an archived system; asked ICT for an extract.",
    "Reminder sent to the {holder} lead officer, copy to the head of service.",
    "Draft figures received from {holder}; two queries sent back.",
    "Spoke to {holder}: they are short-staffed this week but will prioritise it.",
)
OVERDUE_NOTES = (
    "Still waiting for {holder}. Escalated to the head of service.",
    "Chased {holder} for the third time. Apology sent to the requester for the delay.",
    "{holder} lead officer on leave; asked the deputy to pick it up.",
)
LATE_NOTES = (
    "Response will be late: {holder} figures still outstanding. Apology sent to the requester.",
    "Past the deadline. Told the requester we expect to reply within the week, with an apology.",
    "Late: the figures needed re-checking. Requester kept informed.",
)
EXEMPTION_NOTES = (
    "Legal confirmed {provision} applies.",
    "Discussed with Legal: {provision} engaged, public interest test needed.",
    "Consulted {supplier} about commercial sensitivity; they object to release of unit rates.",
    "Redactions applied; second pair of eyes check done.",
)
CLARIFY_REQUEST_NOTES = (
    "Asked the requester to narrow the date range and say which services they mean.",
    "Request as worded could cover every email in the council; asked the requester to clarify.",
    "Asked the requester to confirm whether they want totals or individual transactions.",
    "Asked the requester which site or area they mean.",
)
CLARIFY_RECEIVED_NOTES = (
    "Requester narrowed the request to {fy} only.",
    "Clarification received: totals only, no individual transactions.",
    "Requester confirmed they mean the {place} area.",
    "Clarification received by email; new receipt date applies.",
)
FEE_NOTICE_NOTES = {
    Regime.FOIA: "Fees notice issued: £{fee} for photocopying and postage of {pages} pages of plans (disbursements).",
    Regime.EIR: "Charge notice issued under reg. 8: £{fee} for copies of {pages} pages of plans and reports.",
    Regime.FOISA: "Fees notice issued under s.9: £{fee} for copying {pages} pages.",
    Regime.EISR: "Advance payment asked for under reg. 8: £{fee} for copies of {pages} pages of plans and reports.",
}
FEE_PAID_NOTES = (
    "Payment of £{fee} received by BACS.",
    "Cheque for £{fee} received and banked.",
    "Card payment of £{fee} taken over the phone.",
)
PIT_NOTES = (
    "Public interest test on {provision} needs more time; requester told we are extending by {days} working days.",
    "Extension under s.10(3) notified to the requester: {days} more working days to consider the public interest in {provision}.",
)
EIR_EXTENSION_NOTES = (
    "Complex and voluminous: records span several years and three teams. Requester told we are extending to 40 working days under reg. 7.",
    "Extended under reg. 7: the volume of site files to review makes 20 working days impracticable. Requester notified.",
)
SUBMIT_NOTES = {
    "refusal": (
        "Refusal notice drafted; needs manager approval.",
        "Draft refusal to {manager} for sign-off.",
        "Refusal notice and public interest test write-up sent for approval.",
    ),
    "redacted": (
        "Draft with redactions ready for approval.",
        "Redacted bundle and draft letter sent to {manager} for sign-off.",
    ),
    "other": (
        "Draft response sent to {manager} for sign-off.",
        "Sensitive topic: draft to {manager} before release.",
        "Figures checked; draft response ready for approval.",
    ),
}
APPROVE_NOTES = (
    "Approved.",
    "Approved with minor wording changes.",
    "Approved; make sure the review paragraph is included.",
    "Approved. Please copy the press office in when it goes.",
)
RESPOND_NOTES = {
    "email": ("Response sent by email.", None, None),
    "email_data": ("Response and spreadsheet sent by email.", "Response sent by email with the data attached.", None),
    "post": ("Response sent by post.", "Response posted first class."),
}
WITHDRAW_NOTES = (
    "Requester withdrew: found what they needed on our open data pages.",
    "Requester says they no longer need the information.",
    "Requester withdrew after we asked for clarification.",
    "Requester withdrew; they will resubmit a narrower request.",
)
LAPSE_NOTES = {
    "clarification": "No reply to our request for clarification of {since}; closed as lapsed after three months.",
    "fee": "Fee not paid within three months of the notice of {since}; request lapsed.",
}
REVIEW_REQUEST_NOTES = {
    "withheld": (
        "Internal review requested: the requester disputes the reliance on {provision}.",
        "Requester asks for a review; says the public interest favours release.",
    ),
    "not_held": ("Internal review requested: the requester believes more information is held.",),
    "cost": ("Internal review requested: the requester disputes the cost estimate.",),
    "other": (
        "Internal review requested: the requester is unhappy with the response.",
        "Requester asked for a review; says the response did not answer question 2.",
    ),
}
REVIEW_DONE_NOTES = {
    "upheld": (
        "Review by {manager}: original decision upheld.",
        "Reviewed: searches were adequate and the decision stands.",
    ),
    "overturned": (
        "Review by {manager}: decision overturned; information released in full.",
        "Reviewed: exemption not engaged. Full release sent with an apology.",
    ),
    "partly_overturned": (
        "Review by {manager}: partly overturned; some further information released.",
        "Reviewed: some redactions were not justified; revised version sent.",
    ),
}
NEW_NOTES = (
    "Awaiting triage.",
    "Acknowledgement sent.",
    "Logged from the web form; acknowledgement sent automatically.",
)
