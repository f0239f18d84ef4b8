"""Demo data of the jobs ledger: observations, claims, lineage links, planned-before evidence,
offsetting events, subsidies, right of reply and status reasons for the real pledges of
`demo_data` (pure data, no imports; loaded by `pledges.services.demo`).

Every figure comes from the article cited beside it, from the project's research notes
(../shared/research/pledges-2016-2019.md) or from stored copies of the pages found with the
search tool; uncertain figures say so in their note. Articles already cited by the pledges of
`demo_data` are reused where they carry the fact. Nothing here is an estimate of ours.
"""

from __future__ import annotations

# (pledge ref, status, established_on) → reason code of that status update.
REASONS: dict[tuple[str, str, str], str] = {
    # ProPublica found no hiring; Alibaba gave no reason then.
    ("alibaba-2017-01", "stalled", "2018-01-29"): "other",
    # Ma: the promise rested on friendly trade relations that the tariff war destroyed.
    ("alibaba-2017-01", "withdrawn", "2018-09-19"): "trade_policy",
    # Chapter 11 after a funding round fell through (March 2020 market turmoil).
    ("oneweb-2016-12", "stalled", "2020-03-27"): "market_conditions",
    ("ford-2017-01", "superseded", "2017-12-07"): "company_decision",
    ("ford-2017-12", "superseded", "2019-03-20"): "company_decision",
    ("fca-2017-01", "superseded", "2019-02-26"): "company_decision",
    ("fca-2018-01", "broken", "2019-02-26"): "company_decision",
    # Fab 42 construction halted in 2014 in a chip-market downturn.
    ("intel-2011-02", "superseded", "2017-02-08"): "market_conditions",
    # Foxconn cited "global economic conditions" when it missed the 2018 quota.
    ("foxconn-2017-07", "stalled", "2019-01-17"): "market_conditions",
    # A new governor renegotiated the contract ("the last deal didn't work for Wisconsin").
    ("foxconn-2017-07", "superseded", "2021-04-20"): "political_change",
}

_PROPUBLICA = {
    "url": "https://projects.propublica.org/graphics/trump-job-promises",
    "title": "What Happened to All the Jobs Trump Promised?",
    "publisher": "ProPublica",
}
_FOXCONN_2021 = {
    "url": "https://www.jsonline.com/story/money/2021/04/20/foxconn-state-agree-new-deal-foxconn-expecting-hire-up-1-454-compared-13-000-2017/7299257002/",
    "title": "[Journal Sentinel: Foxconn and state agree new deal, hiring up to 1,454 compared "
    "with 13,000 in 2017]",
    "publisher": "Milwaukee Journal Sentinel",
    "published_on": "2021-04-20",
}

OBSERVATIONS: list[dict] = [
    {
        "ref": "carrier-2016-12",
        "observed_on": "2018-01-11",
        "jobs": 1100,
        "measure": "headcount",
        "basis": "retained",
        "reporter_kind": "journalist",
        "reporter": "WTHR / Associated Press; Carrier's statement",
        "confidence": "medium",
        "note": "About 1,100 workers remained at the Indianapolis plant after the last layoffs; "
        "Carrier said 'more than 1,100 jobs remain ... in keeping with our 2016 commitment'. "
        "The count includes roughly 300 engineering and headquarters jobs that were never due "
        "to move (approximate figure).",
        "source": {
            "url": "https://www.wthr.com/article/final-round-of-layoffs-at-indianapolis-carrier-factory-1-year-after-trump-deal",
            "title": "Final round of layoffs at Indianapolis Carrier factory 1 year after Trump "
            "deal",
            "publisher": "WTHR",
        },
    },
    {
        "ref": "foxconn-2017-07",
        "observed_on": "2018-12-31",
        "jobs": 178,
        "measure": "headcount",
        "basis": "direct",
        "reporter_kind": "company",
        "reporter": "Foxconn, in its report to the Wisconsin Economic Development Corp.",
        "confidence": "high",
        "note": "Credit-qualifying full-time jobs at the end of 2018, against a 260 minimum and a "
        "1,040 target for that year's tax credits.",
        "source": {
            "url": "https://madison.com/wsj/news/local/govt-and-politics/foxconn-falls-short-of-job-creation-quota-for/article_51340853-6e93-55d2-ac4a-13eed7c765fa.html",
            "title": "[Wisconsin State Journal: Foxconn falls short of job creation quota for "
            "2018]",
            "publisher": "Wisconsin State Journal",
        },
    },
    {
        "ref": "intel-2017-02",
        "observed_on": "2020-10-05",
        "jobs": 3000,
        "measure": "gross_hires",
        "basis": "direct",
        "reporter_kind": "company",
        "reporter": "Intel (via the Phoenix Business Journal)",
        "confidence": "medium",
        "note": "Fab 42 began production in 2020 and Intel said it had hired the 3,000 new "
        "workers; Intel's own figure, not independently checked.",
        "source": {
            "url": "https://evertiq.com/design/48898",
            "title": "Intel’s massive expansion in Arizona is finally operational",
            "publisher": "Evertiq",
            "published_on": "2020-10-05",
        },
    },
    {
        "ref": "softbank-2016-12",
        "observed_on": "2019-12-10",
        "investment_usd": 47_000_000_000,
        "measure": "unspecified",
        "basis": "unspecified",
        "reporter_kind": "company",
        "reporter": "SoftBank, to Forbes",
        "confidence": "medium",
        "note": "SoftBank said $47 billion had been invested in the US (about $18.5 billion of it "
        "reportedly in WeWork); the number of jobs created could not be determined.",
        "source": {
            "url": "https://www.forbes.com/sites/bizcarson/2019/12/10/softbank-masayoshi-son-job-promise-president-donald-trump-progress/",
            "title": "SoftBank’s Masayoshi Son Promised Trump He’d Invest $50 Billion And Create "
            "50,000 U.S. Jobs. Did He Deliver?",
            "publisher": "Forbes",
            "published_on": "2019-12-10",
        },
    },
]

CLAIMS: list[dict] = [
    {
        "ref": "carrier-2016-12",
        "claimant": "Donald Trump",
        "claimant_role": "President-elect",
        "claimant_kind": "politician",
        "stated_on": "2016-12-01",
        "venue": "Carrier plant, Indianapolis",
        "jobs_stated": 1100,
        "jobs_supported": 800,
        "statement": "So the 1,100 is going to be a minimum number.",
        "note": "Only about 800 of the retained jobs (some 730 production and 70 salaried posts) "
        "had been due to move to Mexico; the rest were engineering and headquarters jobs never "
        "at risk (approximate figures).",
        "source": {
            "url": "https://americaclosed.com/carrier-corp-layoffs-continue-215-employees-lose-jobs-trump-promised-save/",
            "title": "Carrier Corp. Layoffs Continue, 215 Employees Lose Jobs Trump Promised to "
            "Save",
            "publisher": "America Closed",
        },
    },
    {
        "ref": "carrier-2016-12",
        "claimant": "Carrier",
        "claimant_role": "company statement",
        "claimant_kind": "company",
        "stated_on": "2016-11-30",
        "venue": "written statement",
        "statement": "The company said incentives from the state played a big role in reversing "
        "its decision to move the Indianapolis manufacturing to Mexico.",
        "credits_politician": True,
        "credited_to": "Indiana's state incentives (Gov. Mike Pence's administration)",
        "note": "Credits the state's incentive offer, not the president-elect by name.",
        "source": {
            "url": "https://ibj.com/articles/61498-update-state-pledges-7m-in-incentives-to-carrier-as-it-retains-some-indy-operations",
            "title": "UPDATE: State pledges $7M in incentives to Carrier as it retains some Indy "
            "operations",
            "publisher": "Indianapolis Business Journal",
        },
    },
    {
        "ref": "sprint-2016-12",
        "claimant": "Donald Trump",
        "claimant_role": "President-elect",
        "claimant_kind": "politician",
        "stated_on": "2016-12-28",
        "venue": "remarks to reporters, Mar-a-Lago",
        "jobs_stated": 5000,
        "statement": "I was just called by the head people at Sprint, and they are going to be "
        "bringing 5,000 jobs back to the United States.",
        "note": "Sprint counted the 5,000 inside SoftBank's 50,000; they mix Sprint staff with "
        "contractor staff.",
        "source": {
            "url": "https://www.fiercewireless.com/wireless/sprint-to-add-5-000-jobs-u-s-as-part-softbank-commitment",
            "title": "Sprint to add 5,000 jobs in U.S. as part of SoftBank commitment",
            "publisher": "Fierce Wireless",
        },
    },
    {
        "ref": "ford-2017-01",
        "claimant": "Mark Fields",
        "claimant_role": "Ford chief executive",
        "claimant_kind": "company",
        "stated_on": "2017-01-03",
        "venue": "Flat Rock Assembly Plant",
        "jobs_stated": 700,
        "statement": "We’ve made this decision independently on what’s right for Ford, but we "
        "look at all the factors.",
        "credits_politician": False,
        "note": "Fields said Ford had struck no deal with Trump, while calling the move a vote of "
        "confidence in his pro-growth plans: not counted as crediting him.",
        "source": {
            "url": "https://www.crainsdetroit.com/article/20170103/news/170109975/ford-to-invest-700-million-add-700-jobs-at-plant-in-flat-rock",
            "title": "Ford to invest $700 million, add 700 jobs at plant in Flat Rock",
            "publisher": "Crain's Detroit Business",
            "published_on": "2017-01-03",
        },
    },
    {
        "ref": "intel-2017-02",
        "claimant": "Brian Krzanich",
        "claimant_role": "Intel chief executive",
        "claimant_kind": "company",
        "stated_on": "2017-02-08",
        "venue": "Oval Office",
        "jobs_stated": 3000,
        "investment_stated": 7_000_000_000,
        "statement": "in support of the tax and regulatory policies that we see the "
        "Administration pushing forward.",
        "credits_politician": False,
        "note": "An endorsement of the administration's agenda, given as the reason for the "
        "venue, not a statement that the jobs are owed to it: not counted as credit. The "
        "factory itself was first announced in 2011.",
        "source": {
            "url": "http://www.rcrwireless.com/20170209/chips/intel-to-add-3000-jobs-in-arizona-invest-7-billion-tag4",
            "title": "[RCR Wireless report: Intel to add 3,000 jobs in Arizona, invest $7 billion]",
            "publisher": "RCR Wireless News",
            "published_on": "2017-02-09",
        },
    },
    {
        "ref": "fca-2018-01",
        "claimant": "FCA",
        "claimant_role": "company statement",
        "claimant_kind": "company",
        "stated_on": "2018-01-11",
        "venue": "announcement of the Warren Truck investment",
        "jobs_stated": 2500,
        "statement": "It is only proper that our employees share in the savings generated by tax "
        "reform.",
        "credits_politician": True,
        "credited_to": "the 2017 tax law (Tax Cuts and Jobs Act)",
        "note": "FCA credited the tax law in part for the plan and the $2,000 bonuses.",
        "source": {
            "url": "https://www.clickondetroit.com/automotive/fca-investing-1-billion-in-truck-plant-to-move-ram-truck-production-from-mexico-to-michigan",
            "title": "FCA investing $1 billion in truck plant to move Ram truck production from "
            "Mexico to Michigan",
            "publisher": "ClickOnDetroit",
        },
    },
    {
        "ref": "alibaba-2017-01",
        "claimant": "Jack Ma",
        "claimant_role": "Alibaba executive chairman",
        "claimant_kind": "company",
        "stated_on": "2018-09-19",
        "venue": "interview with Xinhua",
        "statement": "That premise no longer exists today, so our promise cannot be fulfilled.",
        "source": {
            "url": "https://www.foxbusiness.com/features/alibabas-jack-ma-takes-back-promise-to-trump-to-create-1-million-us-jobs",
            "title": "Alibaba’s Jack Ma takes back promise to Trump to create 1 million US jobs",
            "publisher": "Fox Business",
        },
    },
    {
        # No company pledge behind it: training places, not jobs.
        "ref": None,
        "claimant": "Donald Trump",
        "claimant_role": "President",
        "claimant_kind": "politician",
        "stated_on": "2019-02-25",
        "venue": "remarks to US governors, White House",
        "jobs_stated": 6_500_000,
        "jobs_supported": 0,
        "statement": "These are jobs that, for the most part, would not have happened.",
        "note": "About 200 companies had pledged more than 6.5 million training opportunities "
        "over five years under the 'Pledge to America's Workers', not jobs; ProPublica found "
        "no new job came from the initiative.",
        "source": {
            "url": "https://www.eastbaytimes.com/2019/02/27/fact-check-no-ivanka-didnt-create-millions-of-jobs/",
            "title": "Fact check: No, Ivanka didn’t create millions of jobs",
            "publisher": "The Washington Post (via East Bay Times)",
            "published_on": "2019-02-27",
        },
    },
]

LINKS: list[dict] = [
    {
        "ref": "foxconn-2021-04",
        "kind": "supersedes",
        "target": "foxconn-2017-07",
        "note": "The amended contract replaces the 13,000-job, $10 billion plan.",
        "source": _FOXCONN_2021,
    },
    {
        "ref": "fca-2019-02",
        "kind": "reverses",
        "target": "fca-2018-01",
        "note": "Production of the new Ram Heavy Duty stays in Saltillo, Mexico.",
        "source": {
            "url": "https://clusterindustrial.com.mx/noticia/1310/produccion-de-la-ram-heavy-duty-se-queda-en-saltillo",
            "title": "[Cluster Industrial (Spanish): Ram Heavy Duty production stays in Saltillo]",
            "publisher": "Cluster Industrial",
        },
    },
]

PRIOR_PLANS: list[dict] = [
    {
        "ref": "walmart-2017-01",
        "planned_on": None,
        "description": "Walmart's capital plans for the fiscal year, behind the 10,000 retail "
        "jobs, were first shared in October 2016, before the election.",
        "source": {
            "url": "http://www.theshelbyreport.com/2017/01/17/walmart-jobs-2017/",
            "title": "Walmart jobs 2017",
            "publisher": "The Shelby Report",
            "published_on": "2017-01-17",
        },
    },
    {
        "ref": "exxonmobil-2017-03",
        "planned_on": None,
        "description": "The Gulf Coast investments continued a plan that began in 2013 "
        "(ProPublica, as summarised).",
        "source": {
            "url": "https://americanindependent.com/trump-promises-new-jobs-false-99-percent/",
            "title": "Trump's promises of new jobs were false 99.991% of the time",
            "publisher": "The American Independent",
        },
    },
    {
        "ref": "charter-2017-03",
        "planned_on": None,
        "description": "Charter had promised to hire 20,000 in 2015 while seeking approval of "
        "its Time Warner Cable merger.",
        "source": {
            "url": "https://variety.com/2017/biz/news/donald-trump-charter-communications-new-hires-1202015535/",
            "title": "President Trump Touts New Charter Investments, Including Commitments Made "
            "Last Year",
            "publisher": "Variety",
        },
    },
    {
        "ref": "fca-2017-01",
        "planned_on": None,
        "description": "FCA called the plan the second phase of a production shift announced in "
        "January 2016.",
        "source": {
            "url": "http://michiganradio.org/post/chrysler-adding-2000-jobs-michigan-ohio",
            "title": "[Michigan Radio report: Chrysler adding 2,000 jobs in Michigan and Ohio]",
            "publisher": "Michigan Radio",
            "published_on": "2017-01-08",
        },
    },
    {
        "ref": "softbank-2016-12",
        "planned_on": None,
        "description": "The money was to come largely from the $100 billion Vision Fund that "
        "SoftBank announced with Saudi Arabia's sovereign wealth fund in October 2016, before "
        "the election.",
        "source": {
            "url": "https://www.forbes.com/sites/bizcarson/2019/12/10/softbank-masayoshi-son-job-promise-president-donald-trump-progress/",
            "title": "SoftBank’s Masayoshi Son Promised Trump He’d Invest $50 Billion And Create "
            "50,000 U.S. Jobs. Did He Deliver?",
            "publisher": "Forbes",
            "published_on": "2019-12-10",
        },
    },
    {
        "ref": "lockheed-2017-01",
        "planned_on": None,
        "description": "Lockheed had earlier said it would hire about 1,000 people at Fort Worth "
        "as F-35 production ramped up: about 1,000 of the 1,800 were already planned.",
        "source": {
            "url": "https://www.texastribune.org/2017/01/13/lockheed-martin-ceo-meets-trump-says-new-jobs-comi/",
            "title": "Lockheed Martin CEO meets with Trump, announces 1,800 more jobs coming to "
            "Fort Worth",
            "publisher": "The Texas Tribune",
            "published_on": "2017-01-13",
        },
    },
]

OFFSETS: list[dict] = [
    {
        "ref": "carrier-2016-12",
        "kind": "layoff",
        "occurred_on": "2017-07-20",
        "site": "Indianapolis plant",
        "by_company": "Carrier (United Technologies)",
        "jobs_lost": 338,
        "description": "First round of the 632 cuts Carrier notified to Indiana in May 2017 "
        "(WARN notice), as fan-coil production moved to Monterrey, Mexico.",
        "source": {
            "url": "http://www.topix.com/indy/2017/05/carrier-plant-that-trump-saved-will-lay-off-hundreds-right-before-christmas",
            "title": "Carrier plant that Trump saved will lay off hundreds right before Christmas",
            "publisher": "Topix",
            "published_on": "2017-05-23",
        },
    },
    {
        "ref": "carrier-2016-12",
        "kind": "layoff",
        "occurred_on": "2018-01-11",
        "site": "Indianapolis plant",
        "by_company": "Carrier (United Technologies)",
        "jobs_lost": 215,
        "description": "Final round, delayed from December; fewer than the 275 first planned "
        "because of voluntary attrition.",
        "source": {
            "url": "https://foxnews.com/politics/final-round-of-layoffs-planned-at-carrier-plant-trump-promised-to-save",
            "title": "[Fox News report on Carrier's final round of Indianapolis layoffs]",
            "publisher": "Fox News",
        },
    },
    {
        "ref": "walmart-2017-01",
        "kind": "closure",
        "occurred_on": "2018-01-11",
        "site": "63 Sam's Club stores across the US",
        "by_company": "Sam's Club (Walmart)",
        "jobs_lost": 9450,
        "description": "Closed without notice on the day Walmart announced wage rises tied to "
        "the tax law; about 9,450 employees by Walmart's count (other reports said up to "
        "11,000).",
        "source": {
            "url": "https://theweek.com/speedreads/748325/sams-club-closes-63-stores-same-day-walmart-announces-wage-increase",
            "title": "Sam's Club closes 63 stores on same day Walmart announces wage increase",
            "publisher": "The Week",
        },
    },
    {
        "ref": "gm-2017-01",
        "kind": "closure",
        "occurred_on": "2018-11-26",
        "site": "Lordstown (OH), Detroit-Hamtramck, Warren Transmission (MI), Baltimore (MD), "
        "Oshawa (Canada)",
        "by_company": "General Motors",
        "jobs_lost": 14000,
        "description": "Production to stop at five plants and about 8,000 salaried jobs cut: "
        "some 14,000-14,700 North American jobs in all, including Canada (approximate).",
        "source": {
            "url": "https://www.battlecreekenquirer.com/story/money/cars/general-motors/2018/11/26/ontario-plant-closure/2112539002/",
            "title": "General Motors to close Detroit, Ohio, Canada plants",
            "publisher": "Battle Creek Enquirer",
            "published_on": "2018-11-26",
        },
    },
    {
        "ref": "bayer-2017-01",
        "kind": "layoff",
        "occurred_on": "2018-11-29",
        "site": "worldwide",
        "by_company": "Bayer AG",
        "jobs_lost": 12000,
        "description": "About 12,000 job cuts worldwide after the Monsanto takeover; how many "
        "in the US was not stated.",
        "source": {
            "url": "https://www.moneycontrol.com/news/business/bayer-to-cut-12000-jobs-after-monsanto-takeover-3236051.html",
            "title": "Bayer to cut 12,000 jobs after Monsanto takeover",
            "publisher": "Moneycontrol",
            "published_on": "2018-11-29",
        },
    },
    {
        "ref": "oneweb-2016-12",
        "kind": "layoff",
        "occurred_on": "2020-03-27",
        "site": "Florida satellite operation",
        "by_company": "OneWeb",
        "jobs_lost": None,
        "description": "Layoffs and furloughs reported with the Chapter 11 filing; no count.",
        "source": {
            "url": "https://www.palmbeachpost.com/story/news/coronavirus/2020/03/28/coronavirus-oneweb-files-for-bankruptcy/1382636007/",
            "title": "Coronavirus: OneWeb files for bankruptcy",
            "publisher": "The Palm Beach Post",
            "published_on": "2020-03-28",
        },
    },
]

SUBSIDIES: list[dict] = [
    {
        "ref": "carrier-2016-12",
        "granting_body": "Indiana Economic Development Corporation",
        "program": "EDGE-R tax credits, Skills Enhancement Fund, Hoosier Business Investment "
        "credits",
        "kind": "package",
        "value_usd": 7_000_000,
        "awarded_on": None,
        "state": "awarded",
        "conditions": "Up to $5 million in conditional tax credits over 10 years for retaining "
        "1,069 jobs; up to $1 million in training grants, paid as training is given; up to $1 "
        "million in investment credits once the $16 million is invested.",
        "clawbacks": "Performance-based: nothing is due unless the benchmarks are met.",
        "source": {
            "url": "http://www.theindychannel.com/news/local-news/carrier-to-cash-in-on-7-million-in-tax-breaks",
            "title": "Carrier to cash in on $7 million in tax breaks",
            "publisher": "RTV6 The Indy Channel",
            "published_on": "2017-03-26",
        },
    },
    {
        "ref": "foxconn-2017-07",
        "granting_body": "State of Wisconsin (Wisconsin Economic Development Corporation)",
        "program": "2017 Foxconn contract",
        "kind": "tax_credit",
        "value_usd": 2_850_000_000,
        "awarded_on": None,
        "state": "renegotiated",
        "conditions": "Credits tied to jobs and investment each year; for 2018 a minimum of 260 "
        "qualifying jobs. Local incentives brought the total to nearly $4 billion "
        "(approximate).",
        "clawbacks": "No credits were paid for 2018 (178 qualifying jobs). Replaced in April "
        "2021 by a contract worth at most $80 million.",
        "source": _FOXCONN_2021,
    },
    {
        "ref": "foxconn-2021-04",
        "granting_body": "Wisconsin Economic Development Corporation",
        "program": "2021 amended Foxconn contract",
        "kind": "tax_credit",
        "value_usd": 80_000_000,
        "awarded_on": "2021-04-20",
        "state": "awarded",
        "conditions": "Performance-based credits over six years for 1,454 qualifying jobs at an "
        "average wage of $53,875 and about $672 million invested in Mount Pleasant by 2026 "
        "(some reports say $676 million).",
        "clawbacks": "",
        "source": {
            "url": "https://www.law360.com/articles/1377246/wis-board-approves-pared-down-80m-foxconn-tax-break",
            "title": "[Law360: Wisconsin board approves pared-down $80M Foxconn tax break]",
            "publisher": "Law360",
            "published_on": "2021-04-20",
        },
    },
    {
        "ref": "toyota-mazda-2018-01",
        "granting_body": "State of Alabama",
        "program": "incentive package for the Huntsville plant",
        "kind": "package",
        "value_usd": 370_000_000,
        "awarded_on": None,
        "state": "offered",
        "conditions": "Reported at more than $370 million; its terms were not published in the "
        "stored sources.",
        "clawbacks": "",
        "source": {
            "url": "http://www.wsfa.com/story/37236749/gov-ivey-announces-toyota-mazda-plant-coming-to-alabama",
            "title": "[WSFA report: Gov. Ivey announces Toyota-Mazda plant coming to Alabama]",
            "publisher": "WSFA",
            "published_on": "2018-01-10",
        },
    },
]

REPLIES: list[dict] = [
    {
        "ref": "alibaba-2017-01",
        "asked_on": "2018-01-29",
        "asked_by": "ProPublica",
        "outcome": "declined",
        "note": "ProPublica's January 2018 follow-up: Alibaba declined to report any progress. "
        "The exact day it was asked is not known; this is the article's date.",
        "source": _PROPUBLICA,
    },
]
