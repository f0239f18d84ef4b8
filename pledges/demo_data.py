"""Demo data for Pledge Tracker: real corporate job pledges made to, or around, US presidents.

This is a pure-data module (no imports, no Django) that seeding and test code can load. It holds
three module-level lists:

* ``COMPANIES``: the companies that made the pledges. ``country`` is an ISO 3166-1 alpha-2 code;
  ``ticker``, ``website`` and ``wikidata_id`` are ``""`` when unknown or not checked (see
  ``NOTES``).
* ``PLEDGES``: one dict per public job pledge, 2016-2021, with its sources and a dated status
  history. Keys and value rules:

  - ``ref`` is a stable, unique, lowercase ``company-year-month`` id; ``company`` equals a
    ``COMPANIES`` name; ``part_of`` / ``reannouncement_of`` hold another pledge's ``ref`` or
    ``None``. ``reannouncement_of`` is also used for a later re-scoped or renegotiated version
    of an earlier pledge (Ford's Flat Rock plan, Foxconn's 2021 contract).
  - ``jobs_promised`` and ``investment_usd`` are whole numbers or ``None`` (unknown is not
    zero); ``jobs_kind`` is one of direct, indirect, retained, unspecified.
  - ``sources``: the first is the announcement. ``quote`` is only filled when the exact words
    were read in a stored copy of the page; otherwise it is ``""``. A source title in
    [square brackets] is a description written by us because the stored copy did not show the
    headline, not the article's real title.
  - ``status_updates`` are oldest first; every ``evidence`` URL is also one of the pledge's
    sources. A pledge with no status update is still "announced" (not yet rated).
* ``NOTES``: caveats for editors (uncertain figures, unconfirmed addresses, conventions).

Facts come from the project's research notes on 2016-2019 pledges and were re-checked against stored
copies of the cited pages where possible; summaries and explanations are our own wording.
"""

from __future__ import annotations

COMPANIES: list[dict] = [
    {
        "name": "Alibaba Group",
        "aliases": ["Alibaba", "Alibaba Group Holding"],
        "country": "CN",
        "ticker": "BABA",
        "website": "https://www.alibabagroup.com",
        "wikidata_id": "",
    },
    {
        "name": "Carrier Corporation",
        "aliases": ["Carrier", "United Technologies", "United Technologies Corp."],
        "country": "US",
        "ticker": "",
        "website": "https://www.carrier.com",
        "wikidata_id": "",
    },
    {
        "name": "SoftBank Group",
        "aliases": ["SoftBank", "SoftBank Group Corp."],
        "country": "JP",
        "ticker": "9984.T",
        "website": "https://group.softbank/en",
        "wikidata_id": "",
    },
    {
        "name": "Sprint Corporation",
        "aliases": ["Sprint"],
        "country": "US",
        "ticker": "S",
        "website": "https://www.sprint.com",
        "wikidata_id": "",
    },
    {
        "name": "OneWeb",
        "aliases": ["OneWeb Ltd."],
        "country": "GB",
        "ticker": "",
        "website": "https://oneweb.net",
        "wikidata_id": "",
    },
    {
        "name": "Ford Motor Company",
        "aliases": ["Ford"],
        "country": "US",
        "ticker": "F",
        "website": "https://corporate.ford.com",
        "wikidata_id": "",
    },
    {
        "name": "Fiat Chrysler Automobiles",
        "aliases": ["FCA", "Fiat Chrysler", "Fiat-Chrysler", "Stellantis"],
        "country": "NL",
        "ticker": "FCAU",
        "website": "https://www.stellantis.com",
        "wikidata_id": "",
    },
    {
        "name": "General Motors",
        "aliases": ["GM", "General Motors Co."],
        "country": "US",
        "ticker": "GM",
        "website": "https://www.gm.com",
        "wikidata_id": "",
    },
    {
        "name": "Walmart",
        "aliases": ["Wal-Mart", "Wal-Mart Stores", "Walmart Inc."],
        "country": "US",
        "ticker": "WMT",
        "website": "https://corporate.walmart.com",
        "wikidata_id": "",
    },
    {
        "name": "Amazon",
        "aliases": ["Amazon.com", "Amazon.com Inc."],
        "country": "US",
        "ticker": "AMZN",
        "website": "https://www.aboutamazon.com",
        "wikidata_id": "",
    },
    {
        "name": "Intel",
        "aliases": ["Intel Corporation", "Intel Corp."],
        "country": "US",
        "ticker": "INTC",
        "website": "https://www.intel.com",
        "wikidata_id": "",
    },
    {
        "name": "ExxonMobil",
        "aliases": ["Exxon Mobil", "Exxon Mobil Corporation", "Exxon"],
        "country": "US",
        "ticker": "XOM",
        "website": "https://corporate.exxonmobil.com",
        "wikidata_id": "",
    },
    {
        "name": "Charter Communications",
        "aliases": ["Charter", "Charter Communications Inc."],
        "country": "US",
        "ticker": "CHTR",
        "website": "https://corporate.charter.com",
        "wikidata_id": "",
    },
    {
        "name": "IBM",
        "aliases": ["International Business Machines", "Big Blue"],
        "country": "US",
        "ticker": "IBM",
        "website": "https://www.ibm.com",
        "wikidata_id": "",
    },
    {
        "name": "Lockheed Martin",
        "aliases": ["Lockheed Martin Corp.", "Lockheed"],
        "country": "US",
        "ticker": "LMT",
        "website": "https://www.lockheedmartin.com",
        "wikidata_id": "",
    },
    {
        "name": "Bayer AG",
        "aliases": ["Bayer", "Monsanto", "Bayer-Monsanto"],
        "country": "DE",
        "ticker": "BAYN.DE",
        "website": "https://www.bayer.com",
        "wikidata_id": "",
    },
    {
        "name": "Foxconn",
        "aliases": [
            "Hon Hai Precision Industry",
            "Hon Hai",
            "Foxconn Technology Group",
        ],
        "country": "TW",
        "ticker": "2317.TW",
        "website": "https://www.foxconn.com",
        "wikidata_id": "",
    },
    {
        "name": "Mazda Toyota Manufacturing, U.S.A.",
        "aliases": ["Toyota-Mazda joint venture", "Toyota Mazda", "MTMUS"],
        "country": "US",
        "ticker": "",
        "website": "",
        "wikidata_id": "",
    },
    {
        "name": "Apple",
        "aliases": ["Apple Inc."],
        "country": "US",
        "ticker": "AAPL",
        "website": "https://www.apple.com",
        "wikidata_id": "",
    },
]

# Stored copies of these pages were read; URLs that more than one pledge cites are named once.
_PROPUBLICA_2018 = "https://projects.propublica.org/graphics/trump-job-promises"
_FORBES_SOFTBANK_2019 = (
    "https://www.forbes.com/sites/bizcarson/2019/12/10/"
    "softbank-masayoshi-son-job-promise-president-donald-trump-progress/"
)
_CRAINS_FORD_2017_12 = (
    "https://www.crainsdetroit.com/article/20171207/news/647081/"
    "ford-ev-moving-to-mexico-to-make-room-for-autonomous-vehicles-in-flat"
)
_CBSLA_FORD_2017_12 = (
    "http://losangeles.cbslocal.com/2017/12/07/ford-shifts-production-of-electric-suv-to-mexico/"
)
_FREEP_FORD_2019_03 = (
    "https://www.freep.com/story/money/cars/ford/2019/03/20/"
    "ford-electric-car-900-jobs-detroit/3221558002/"
)
_CHEERS_FCA_2019_02 = (
    "https://www.cheersandgears.com/articles/news/chrysler/"
    "fca-expanding-michigan-production-capacity-r5631/"
)
_BUZZFEED_INTEL_2017 = (
    "https://www.buzzfeednews.com/article/hamzashaban/"
    "intel-trump-silicon-valley-computers-economy-immigration"
)
_WBAY_FOXCONN_2021 = (
    "https://www.wbay.com/2021/04/20/"
    "evers-announces-renegotiated-foxconn-contract-saves-taxpayers-277-billion/"
)
_JSONLINE_FOXCONN_2021 = (
    "https://www.jsonline.com/story/money/2021/04/20/"
    "foxconn-state-agree-new-deal-foxconn-expecting-hire-up-1-454-compared-13-000-2017/"
    "7299257002/"
)

PLEDGES: list[dict] = [
    # ------------------------------------------------------------------ Alibaba
    {
        "ref": "alibaba-2017-01",
        "company": "Alibaba Group",
        "title": "Alibaba promises 1 million US jobs by bringing US small businesses onto its "
        "platform",
        "summary": (
            "After a roughly 40-minute meeting at Trump Tower on 9 January 2017, Jack Ma told "
            "reporters that Alibaba wanted to help one million American small businesses and "
            "farmers, with a focus on the Midwest, sell goods to consumers in China and the rest "
            "of Asia through its online marketplaces over five years. Alibaba itself would not "
            "hire these people: the company reasoned that each business joining its platform "
            "would take on roughly one extra worker to handle the added sales, so the million "
            "jobs were indirect and never tied to any Alibaba facility or investment in the US."
        ),
        "announced_on": "2017-01-09",
        "announced_by": "Jack Ma, Executive Chairman",
        "made_to": "Donald Trump (President-elect)",
        "jobs_promised": 1000000,
        "jobs_kind": "indirect",
        "investment_usd": None,
        "locations": ["US", "Midwestern United States"],
        "deadline": "2022-01-09",
        "timeframe": "over five years",
        "uncertainty": (
            "The million is an estimate of hiring by third-party sellers (one new worker per "
            "newly onboarded business), not Alibaba headcount; no method for counting it was "
            "ever published. The deadline is five years from the meeting, our reading of "
            "'over the next five years'."
        ),
        "sources": [
            {
                "url": "https://fortune.com/2017/01/09/jack-ma-jobs-trump/",
                "publisher": "Fortune",
                "title": "[Fortune report on Jack Ma's 1 million jobs pledge to Trump]",
                "published_on": "2017-01-09",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://irebyu.com/alibaba-promises-one-million-us-jobs-trump/",
                "publisher": "irebyu.com",
                "title": "Alibaba promises to create one million U.S. jobs in a meeting with Trump",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": _PROPUBLICA_2018,
                "publisher": "ProPublica",
                "title": "What Happened to All the Jobs Trump Promised?",
                "published_on": None,
                "role": "evidence",
                "quote": "But there’s no sign any Americans were actually hired.",
            },
            {
                "url": "https://www.foxbusiness.com/features/"
                "alibabas-jack-ma-takes-back-promise-to-trump-to-create-1-million-us-jobs",
                "publisher": "Fox Business",
                "title": "Alibaba’s Jack Ma takes back promise to Trump to create 1 million US "
                "jobs",
                "published_on": None,
                "role": "evidence",
                "quote": "That premise no longer exists today, so our promise cannot be fulfilled.",
            },
            {
                "url": "https://cbsnews.com/news/"
                "jack-ma-of-alibaba-1-million-u-s-jobs-wont-be-created-due-to-trade-war",
                "publisher": "CBS News",
                "title": "[CBS News report: Ma says the 1 million US jobs won't be created "
                "because of the trade war]",
                "published_on": None,
                "role": "follow_up",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "stalled",
                "established_on": "2018-01-29",
                "explanation": (
                    "A year on, ProPublica found no sign that any Americans had been hired "
                    "because of the pledge, and Alibaba declined to report any progress."
                ),
                "evidence": [_PROPUBLICA_2018],
            },
            {
                "status": "withdrawn",
                "established_on": "2018-09-19",
                "explanation": (
                    "Ma told China's Xinhua news agency that the promise rested on friendly "
                    "US-China trade relations, which the tariff war had destroyed, so it could "
                    "no longer be delivered."
                ),
                "evidence": [
                    "https://www.foxbusiness.com/features/"
                    "alibabas-jack-ma-takes-back-promise-to-trump-to-create-1-million-us-jobs"
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Carrier
    {
        "ref": "carrier-2016-12",
        "company": "Carrier Corporation",
        "title": "Carrier agrees to keep 1,069 jobs at its Indianapolis furnace plant for 10 years",
        "summary": (
            "Carrier had announced in February 2016 that it would move about 1,400 jobs from "
            "its Indianapolis plant to Monterrey, Mexico. After Trump called the chief "
            "executive of its parent company, United Technologies, Carrier said on 29-30 "
            "November 2016 that it would keep furnace production in Indianapolis, and on "
            "1 December Trump and Pence celebrated the deal at the plant. Under the agreement "
            "with the Indiana Economic Development Corporation, Carrier would retain 1,069 "
            "Indianapolis jobs for ten years and invest $16 million in the plant, in exchange "
            "for up to $7 million in state incentives. Only about 800 of those jobs (some 730 "
            "production and 70 salaried posts) had actually been due to move; the rest were "
            "engineering and headquarters staff who were never leaving. The fan-coil line "
            "(about 600 jobs) and the Huntington, Indiana controls plant (about 700 jobs) still "
            "went to Mexico."
        ),
        "announced_on": "2016-12-01",
        "announced_by": "Greg Hayes, Chairman and CEO of United Technologies (Carrier's parent)",
        "made_to": "Donald Trump (President-elect) and Mike Pence (Vice President-elect, "
        "Governor of Indiana)",
        "jobs_promised": 1069,
        "jobs_kind": "retained",
        "investment_usd": 16000000,
        "locations": ["US-IN", "Indianapolis, Indiana"],
        "deadline": "2026-12-01",
        "timeframe": "retain the jobs for 10 years",
        "uncertainty": (
            "Trump's 'over 1,100 jobs' inflated the deal: roughly 300 of the retained posts were "
            "engineering and headquarters jobs that were never slated to move, so only about "
            "800 jobs were actually saved. The state incentive is 'up to' $7 million ($5 million "
            "in conditional tax credits, $1 million in training grants, $1 million in "
            "investment-linked credits). The 10-year deadline is counted from the 1 December "
            "2016 event."
        ),
        "sources": [
            {
                "url": "https://www.indystar.com/story/news/politics/2016/12/01/"
                "trump-pence-and-carrier-live-updates-indianapolis/94689946/",
                "publisher": "IndyStar",
                "title": "Trump praises Carrier, state offers $7M in incentives",
                "published_on": "2016-12-01",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.ibj.com/articles/"
                "61509-trump-pence-praise-carrier-for-saving-indianapolis-jobs",
                "publisher": "Indianapolis Business Journal",
                "title": "Trump, Pence praise Carrier for saving Indianapolis jobs",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.foxbusiness.com/markets/"
                "indiana-gives-7-million-in-tax-breaks-to-keep-carrier-jobs",
                "publisher": "Fox Business",
                "title": "Indiana Gives $7 Million in Tax Breaks to Keep Carrier Jobs",
                "published_on": None,
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "https://foxnews.com/politics/"
                "final-round-of-layoffs-planned-at-carrier-plant-trump-promised-to-save",
                "publisher": "Fox News",
                "title": "[Fox News report on Carrier's final round of Indianapolis layoffs]",
                "published_on": None,
                "role": "evidence",
                "quote": "More than 1,100 jobs remain at the Indianapolis facility in keeping "
                "with our 2016 commitment.",
            },
            {
                "url": _PROPUBLICA_2018,
                "publisher": "ProPublica",
                "title": "What Happened to All the Jobs Trump Promised?",
                "published_on": None,
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "partially_kept",
                "established_on": "2018-01-11",
                "explanation": (
                    "Carrier says more than 1,100 jobs remain in Indianapolis, which meets its "
                    "own commitment, but it laid off about 340 fan-coil workers in July 2017 and "
                    "215 more on 11 January 2018 as that line moved to Mexico, and the "
                    "'1,100 saved' claim counted some 300 jobs that were never at risk."
                ),
                "evidence": [
                    "https://foxnews.com/politics/"
                    "final-round-of-layoffs-planned-at-carrier-plant-trump-promised-to-save",
                    _PROPUBLICA_2018,
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ SoftBank
    {
        "ref": "softbank-2016-12",
        "company": "SoftBank Group",
        "title": "SoftBank pledges $50 billion of US investment and 50,000 jobs",
        "summary": (
            "Masayoshi Son appeared with Trump in the Trump Tower lobby on 6 December 2016 and "
            "held up a signed sheet promising $50 billion of investment in the US and 50,000 new "
            "jobs within four years. Son said the jobs would come from investing in American "
            "start-ups. The money was to come largely from the $100 billion Vision Fund that "
            "SoftBank had announced with Saudi Arabia's sovereign wealth fund in October 2016, "
            "before the election, so much of it might have reached US companies anyway. The "
            "sheet also carried the logo of Foxconn, whose role was never explained. SoftBank "
            "later counted Sprint's 5,000 jobs and OneWeb's 3,000 inside the 50,000."
        ),
        "announced_on": "2016-12-06",
        "announced_by": "Masayoshi Son, Chairman and CEO",
        "made_to": "Donald Trump (President-elect)",
        "jobs_promised": 50000,
        "jobs_kind": "unspecified",
        "investment_usd": 50000000000,
        "locations": ["US"],
        "deadline": "2020-12-06",
        "timeframe": "over four years",
        "uncertainty": (
            "The jobs were to be created by portfolio companies, not SoftBank, and no counting "
            "method was given. The investment came mostly from a fund announced before the "
            "election. By December 2019 SoftBank said $47 billion had been invested in the US "
            "(about $18.5 billion of it reportedly in WeWork), but the job count could not be "
            "determined."
        ),
        "sources": [
            {
                "url": "http://www.reuters.com/article/us-usa-trump-softbank-idUSKBN13V2LG",
                "publisher": "Reuters",
                "title": "[Reuters report: SoftBank to invest $50 billion in US, create 50,000 "
                "jobs, Trump says]",
                "published_on": "2016-12-06",
                "role": "announcement",
                "quote": "I just came to celebrate his new job.",
            },
            {
                "url": "https://www.cnbc.com/2016/12/06/"
                "trump-says-softbank-will-invest-50-billion-in-the-us-aiming-to-create-50000-jobs"
                ".html",
                "publisher": "CNBC",
                "title": "Trump says SoftBank will invest $50 billion in the US, aiming to "
                "create 50,000 jobs",
                "published_on": "2016-12-06",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://csmonitor.com/layout/set/amphtml/Business/2016/1207/"
                "Who-is-the-Japanese-billionaire-who-met-with-Donald-Trump",
                "publisher": "The Christian Science Monitor",
                "title": "Who is the Japanese billionaire who met with Donald Trump?",
                "published_on": "2016-12-07",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": _FORBES_SOFTBANK_2019,
                "publisher": "Forbes",
                "title": "SoftBank’s Masayoshi Son Promised Trump He’d Invest $50 Billion And "
                "Create 50,000 U.S. Jobs. Did He Deliver?",
                "published_on": "2019-12-10",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "unverifiable",
                "established_on": "2019-12-10",
                "explanation": (
                    "SoftBank told Forbes it had put $47 billion into US companies, close to "
                    "the promised sum a year early, but whether that money produced 50,000 new "
                    "jobs could not be established from the company's or its start-ups' figures."
                ),
                "evidence": [_FORBES_SOFTBANK_2019],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Sprint
    {
        "ref": "sprint-2016-12",
        "company": "Sprint Corporation",
        "title": "Sprint to create or bring back 5,000 US jobs as part of SoftBank's pledge",
        "summary": (
            "On 28 December 2016 Trump told reporters at Mar-a-Lago that Sprint would bring "
            "5,000 jobs back to the United States from other countries, and Sprint confirmed "
            "that it would 'create or bring back' 5,000 jobs, mainly in customer care and sales, "
            "by the end of its fiscal year 2017 (March 2018). Sprint said the jobs counted "
            "towards SoftBank's 50,000 but would be paid for by Sprint, and that they would be "
            "a mix of Sprint employees and staff of third-party vendors; locations were still "
            "to be chosen. Earlier in 2016 Sprint had cut about 2,500 US jobs, mostly in call "
            "centres and at headquarters."
        ),
        "announced_on": "2016-12-28",
        "announced_by": "Marcelo Claure, CEO",
        "made_to": "Donald Trump (President-elect)",
        "jobs_promised": 5000,
        "jobs_kind": "unspecified",
        "investment_usd": None,
        "locations": ["US"],
        "deadline": "2018-03-31",
        "timeframe": "by the end of Sprint's fiscal year 2017 (end of March 2018)",
        "uncertainty": (
            "The 5,000 mixes Sprint employees with contractor staff, and mixes new posts with "
            "work brought back from overseas vendors; it is not net of Sprint's own 2016 cuts. "
            "No follow-up report on delivery was found, so the pledge is left unrated."
        ),
        "sources": [
            {
                "url": "https://www.fiercewireless.com/wireless/"
                "sprint-to-add-5-000-jobs-u-s-as-part-softbank-commitment",
                "publisher": "FierceWireless",
                "title": "Sprint to add 5,000 jobs in U.S. as part of SoftBank commitment",
                "published_on": None,
                "role": "announcement",
                "quote": "I was just called by the head people at Sprint, and they are going to "
                "be bringing 5,000 jobs back to the United States,",
            },
            {
                "url": "https://telecomlead.com/telecom-services/sprint-create-5000-jobs-america-73486",
                "publisher": "TelecomLead",
                "title": "Sprint to create 5,000 jobs in America",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.theblaze.com/news/2016/12/29/"
                "sprint-to-bring-5000-new-jobs-to-the-u-s-according-to-trump",
                "publisher": "TheBlaze",
                "title": "Sprint to bring 5,000 new jobs to the U.S. according to Trump",
                "published_on": "2016-12-29",
                "role": "follow_up",
                "quote": "",
            },
        ],
        "status_updates": [],
        "part_of": "softbank-2016-12",
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ OneWeb
    {
        "ref": "oneweb-2016-12",
        "company": "OneWeb",
        "title": "OneWeb's SoftBank-led $1.2 billion round to fund a Florida satellite factory "
        "and nearly 3,000 US jobs",
        "summary": (
            "On 19 December 2016 the satellite-internet start-up OneWeb said it had raised "
            "$1.2 billion, $1 billion of it from SoftBank, to build a high-volume satellite "
            "factory in Exploration Park, Florida, and expected the project to create nearly "
            "3,000 engineering, manufacturing and supporting jobs in the US over four years. "
            "Masayoshi Son called it the first step towards SoftBank's $50 billion / 50,000-job "
            "promise, and Trump repeated the 3,000 figure on 28 December. In March 2020 OneWeb "
            "filed for Chapter 11 bankruptcy and cut staff after a new funding round fell "
            "through."
        ),
        "announced_on": "2016-12-19",
        "announced_by": "Greg Wyler, Founder (with SoftBank's Masayoshi Son)",
        "made_to": "",
        "jobs_promised": 3000,
        "jobs_kind": "unspecified",
        "investment_usd": 1200000000,
        "locations": ["US-FL", "Exploration Park, Florida"],
        "deadline": "2020-12-19",
        "timeframe": "over the next four years",
        "uncertainty": (
            "'Nearly 3,000' jobs in engineering, manufacturing and supporting roles; one report "
            "split them into about 1,200 at OneWeb and 1,800 at suppliers, which we could not "
            "confirm elsewhere. The $1.2 billion is the funding round, not a sum committed to "
            "US spending. No count of jobs actually created at the Florida plant was found."
        ),
        "sources": [
            {
                "url": "https://www.geekwire.com/2016/oneweb-softbank-billion-internet-satellite-network/",
                "publisher": "GeekWire",
                "title": "[GeekWire report on SoftBank's $1 billion investment in OneWeb]",
                "published_on": None,
                "role": "announcement",
                "quote": "This is the first step in that commitment,",
            },
            {
                "url": "http://www.newsfactor.com/story.xhtml?story_id=12200EUW00NC",
                "publisher": "NewsFactor",
                "title": "SoftBank Invests $1B in OneWeb, Part of $50B Pledge for US Tech Jobs",
                "published_on": "2016-12-19",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://evertiq.com/news/40720",
                "publisher": "Evertiq",
                "title": "Softbank invests $1 billion in satellite start-up OneWeb",
                "published_on": "2016-12-20",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "https://www.palmbeachpost.com/story/news/coronavirus/2020/03/28/"
                "coronavirus-oneweb-files-for-bankruptcy/1382636007/",
                "publisher": "The Palm Beach Post",
                "title": "Coronavirus: OneWeb files for bankruptcy",
                "published_on": "2020-03-28",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "stalled",
                "established_on": "2020-03-27",
                "explanation": (
                    "OneWeb filed for Chapter 11 protection and reduced its workforce, with "
                    "layoffs and furloughs reported at the Florida satellite operation, before "
                    "the four-year window closed; how many of the promised jobs ever existed "
                    "was not reported."
                ),
                "evidence": [
                    "https://www.palmbeachpost.com/story/news/coronavirus/2020/03/28/"
                    "coronavirus-oneweb-files-for-bankruptcy/1382636007/"
                ],
            },
        ],
        "part_of": "softbank-2016-12",
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Ford
    {
        "ref": "ford-2017-01",
        "company": "Ford Motor Company",
        "title": "Ford scraps a $1.6 billion Mexico plant and plans $700 million and 700 jobs "
        "at Flat Rock, Michigan",
        "summary": (
            "On 3 January 2017, after months of criticism from Trump, Ford cancelled its planned "
            "$1.6 billion small-car plant in San Luis Potosí, Mexico, and said it would invest "
            "$700 million and add 700 direct jobs over four years at its Flat Rock Assembly "
            "Plant to build electric and self-driving vehicles, including a fully electric small "
            "SUV. The next Focus would still be built in Hermosillo, Mexico. Chief executive Mark "
            "Fields said Ford had not struck a deal with Trump but called the move a vote of "
            "confidence in his pro-growth plans."
        ),
        "announced_on": "2017-01-03",
        "announced_by": "Mark Fields, President and CEO",
        "made_to": "",
        "jobs_promised": 700,
        "jobs_kind": "direct",
        "investment_usd": 700000000,
        "locations": ["US-MI", "Flat Rock, Michigan"],
        "deadline": None,
        "timeframe": "over the next four years",
        "uncertainty": "",
        "sources": [
            {
                "url": "http://www.topix.com/state/mi/2017/01/"
                "news-9-mins-ago-10-35-a-m-ford-cancels-plans-to-build-plant-in-mexico-will-"
                "invest-700m-in-michigan",
                "publisher": "Topix",
                "title": "Ford cancels plans to build plant in Mexico, will invest $700M in "
                "Michigan",
                "published_on": "2017-01-03",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.crainsdetroit.com/article/20170103/news/170109975/"
                "ford-to-invest-700-million-add-700-jobs-at-plant-in-flat-rock",
                "publisher": "Crain's Detroit Business",
                "title": "Ford to invest $700 million, add 700 jobs at plant in Flat Rock",
                "published_on": "2017-01-03",
                "role": "announcement",
                "quote": "We’ve made this decision independently on what’s right for Ford, but "
                "we look at all the factors,",
            },
            {
                "url": "http://theweek.com/10things/669064/10-things-need-know-today-january-4-2017",
                "publisher": "The Week",
                "title": "10 things you need to know today: January 4, 2017",
                "published_on": "2017-01-04",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": _CRAINS_FORD_2017_12,
                "publisher": "Crain's Detroit Business",
                "title": "Ford EV moving to Mexico to make room for autonomous vehicles in Flat "
                "Rock",
                "published_on": "2017-12-07",
                "role": "evidence",
                "quote": "",
            },
            {
                "url": _CBSLA_FORD_2017_12,
                "publisher": "CBS Los Angeles",
                "title": "[AP report via CBS Los Angeles: Ford shifts production of electric SUV "
                "to Mexico]",
                "published_on": "2017-12-07",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "superseded",
                "established_on": "2017-12-07",
                "explanation": (
                    "Ford moved the planned electric SUV to its Cuautitlán, Mexico plant and "
                    "re-scoped Flat Rock around self-driving vehicles, raising the investment to "
                    "$900 million; the January plan was replaced by that one."
                ),
                "evidence": [_CRAINS_FORD_2017_12, _CBSLA_FORD_2017_12],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    {
        "ref": "ford-2017-12",
        "company": "Ford Motor Company",
        "title": "Ford re-scopes Flat Rock around self-driving cars: $900 million and about 850 "
        "jobs, electric SUV moves to Mexico",
        "summary": (
            "In December 2017 Ford confirmed an internal memo: the battery-electric crossover "
            "promised for Flat Rock would instead be assembled in Cuautitlán, Mexico, from 2020, "
            "and Flat Rock would become a centre for autonomous vehicles. Ford added $200 "
            "million to the plant investment, for $900 million in all, and said the change "
            "would mean more US jobs there than the January plan."
        ),
        "announced_on": "2017-12-07",
        "announced_by": "Ford Motor Company (spokesman Alan Hall)",
        "made_to": "",
        "jobs_promised": 850,
        "jobs_kind": "direct",
        "investment_usd": 900000000,
        "locations": ["US-MI", "Flat Rock, Michigan"],
        "deadline": None,
        "timeframe": "autonomous vehicle production from 2021",
        "uncertainty": (
            "AP put the new total at 850 workers; Crain's/Automotive News reported 150 jobs on "
            "top of the original 700 (also 850). The research notes cite a Detroit News figure "
            "of 250 extra jobs that we could not confirm."
        ),
        "sources": [
            {
                "url": _CRAINS_FORD_2017_12,
                "publisher": "Crain's Detroit Business",
                "title": "Ford EV moving to Mexico to make room for autonomous vehicles in Flat "
                "Rock",
                "published_on": "2017-12-07",
                "role": "announcement",
                "quote": "We see a bigger opportunity now than we originally saw,",
            },
            {
                "url": _CBSLA_FORD_2017_12,
                "publisher": "CBS Los Angeles",
                "title": "[AP report via CBS Los Angeles: Ford shifts production of electric SUV "
                "to Mexico]",
                "published_on": "2017-12-07",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.detroitnews.com/story/business/autos/mobility/2017/12/07/"
                "ford-flat-rock-mexico-plans/108389628/",
                "publisher": "The Detroit News",
                "title": "[Detroit News report on Ford's revised Flat Rock and Mexico plans]",
                "published_on": "2017-12-07",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": _FREEP_FORD_2019_03,
                "publisher": "Detroit Free Press",
                "title": "Ford plans electric vehicle production at Flat Rock, adding 900 jobs",
                "published_on": "2019-03-20",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "superseded",
                "established_on": "2019-03-20",
                "explanation": (
                    "Ford changed course a third time: autonomous vehicles would be finished at "
                    "a separate new centre, and Flat Rock would instead build next-generation "
                    "battery-electric vehicles under a new $900 million, 900-job plan."
                ),
                "evidence": [_FREEP_FORD_2019_03],
            },
        ],
        "part_of": None,
        "reannouncement_of": "ford-2017-01",
    },
    {
        "ref": "ford-2019-03",
        "company": "Ford Motor Company",
        "title": "Ford to build battery-electric vehicles at Flat Rock: about $900 million and "
        "900 jobs through 2023",
        "summary": (
            "On 20 March 2019, the day Trump visited Ohio amid his criticism of GM, Ford said "
            "Flat Rock would become its second North American plant for next-generation "
            "battery-electric vehicles, with more than $850 million invested there through 2023 "
            "and a second shift, as part of about $900 million in southeast Michigan (including "
            "a new centre to finish autonomous vehicles). Ford put the job gain at about 900. "
            "Reports noted that the plant was at the same time dropping to one shift, with "
            "hundreds of workers to be transferred."
        ),
        "announced_on": "2019-03-20",
        "announced_by": "Joe Hinrichs, President, Global Operations",
        "made_to": "",
        "jobs_promised": 900,
        "jobs_kind": "direct",
        "investment_usd": 900000000,
        "locations": ["US-MI", "Flat Rock, Michigan"],
        "deadline": "2023-12-31",
        "timeframe": "through 2023",
        "uncertainty": (
            "Partly a restatement of earlier Flat Rock commitments. The $900 million covers "
            "southeast Michigan as a whole, of which more than $850 million is for Flat Rock."
        ),
        "sources": [
            {
                "url": _FREEP_FORD_2019_03,
                "publisher": "Detroit Free Press",
                "title": "Ford plans electric vehicle production at Flat Rock, adding 900 jobs",
                "published_on": "2019-03-20",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.spglobal.com/marketintelligence/en/news-insights/trending/"
                "a5hHmpzPMubUkRBi4DNoiA2",
                "publisher": "S&P Global Market Intelligence",
                "title": "[S&P Global report on Ford's Flat Rock electric-vehicle investment]",
                "published_on": None,
                "role": "announcement",
                "quote": "This is good news for the future of southeast Michigan, delivering "
                "more good-paying manufacturing jobs.",
            },
            {
                "url": "http://www.arkansasonline.com/news/2019/mar/21/"
                "ford-electric-vehicles-plant-in-michiga/",
                "publisher": "Arkansas Democrat-Gazette",
                "title": "Ford electric-vehicles plant in Michigan to rev up work",
                "published_on": "2019-03-21",
                "role": "follow_up",
                "quote": "",
            },
        ],
        "status_updates": [],
        "part_of": None,
        "reannouncement_of": "ford-2017-12",
    },
    # ------------------------------------------------------------------ Fiat Chrysler
    {
        "ref": "fca-2017-01",
        "company": "Fiat Chrysler Automobiles",
        "title": "Fiat Chrysler to invest $1 billion in Michigan and Ohio plants and add 2,000 "
        "jobs",
        "summary": (
            "On 8 January 2017 FCA said it would spend $1 billion to retool its Warren Truck "
            "plant in Michigan for the new Jeep Wagoneer and Grand Wagoneer and its Toledo, Ohio "
            "complex for a Jeep pickup, creating 2,000 jobs, with the factory work finished by "
            "2020. FCA described it as the second phase of a production shift announced in "
            "January 2016 and long discussed with the UAW; Trump thanked the company the next "
            "day. The Warren upgrade would also allow heavy-duty Ram pickups, then built in "
            "Saltillo, Mexico, to be made there, though FCA would not yet say it would move them."
        ),
        "announced_on": "2017-01-08",
        "announced_by": "Sergio Marchionne, CEO",
        "made_to": "",
        "jobs_promised": 2000,
        "jobs_kind": "direct",
        "investment_usd": 1000000000,
        "locations": ["US-MI", "US-OH", "Warren, Michigan", "Toledo, Ohio"],
        "deadline": None,
        "timeframe": "factory work to be done in 2020",
        "uncertainty": (
            "The plan predated the election: FCA itself called it the second phase of a plan "
            "announced in January 2016."
        ),
        "sources": [
            {
                "url": "http://michiganradio.org/post/chrysler-adding-2000-jobs-michigan-ohio",
                "publisher": "Michigan Radio",
                "title": "[Michigan Radio report: Chrysler adding 2,000 jobs in Michigan and Ohio]",
                "published_on": "2017-01-08",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "http://dfw.cbslocal.com/2017/01/08/"
                "fiat-chrysler-to-build-3-new-jeeps-create-2000-jobs-in-us/",
                "publisher": "CBS DFW",
                "title": "Fiat Chrysler To Build 3 New Jeeps, Create 2,000 Jobs In US",
                "published_on": "2017-01-08",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "http://www.wcnc.com/news/nation-now/"
                "fca-to-invest-1b-in-michigan-ohio-plants-confirms-jeep-pickup/383879996",
                "publisher": "WCNC",
                "title": "FCA to invest $1B in Michigan, Ohio plants; confirms Jeep pickup",
                "published_on": "2017-01-08",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": _CHEERS_FCA_2019_02,
                "publisher": "Cheers & Gears",
                "title": "[Cheers & Gears report: FCA expanding Michigan production capacity]",
                "published_on": "2019-02-26",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "superseded",
                "established_on": "2019-02-26",
                "explanation": (
                    "FCA's February 2019 Michigan plan folded the Warren Truck part of this "
                    "pledge into a larger $1.5 billion investment for the Wagoneer, Grand "
                    "Wagoneer and Ram 1500 Classic, with 1,400 new jobs there."
                ),
                "evidence": [_CHEERS_FCA_2019_02],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    {
        "ref": "fca-2018-01",
        "company": "Fiat Chrysler Automobiles",
        "title": "FCA to move Ram Heavy Duty production from Mexico to Warren, Michigan, with "
        "2,500 jobs",
        "summary": (
            "On 11 January 2018, weeks after the US tax overhaul, FCA said it would invest more "
            "than $1 billion to modernise Warren Truck and move production of the next Ram Heavy "
            "Duty pickup there from Saltillo, Mexico, in 2020, adding 2,500 jobs; Saltillo would "
            "switch to commercial vehicles for export. It also promised $2,000 bonuses to about "
            "60,000 US employees and credited the tax law in part. Trump praised the move on "
            "Twitter. In February 2019 FCA dropped the move: the new Ram Heavy Duty stayed in "
            "Saltillo."
        ),
        "announced_on": "2018-01-11",
        "announced_by": "Sergio Marchionne, CEO",
        "made_to": "",
        "jobs_promised": 2500,
        "jobs_kind": "direct",
        "investment_usd": 1000000000,
        "locations": ["US-MI", "Warren, Michigan"],
        "deadline": None,
        "timeframe": "production move in 2020",
        "uncertainty": (
            "Investment stated as 'more than $1 billion'. Subject to state and local incentives "
            "being agreed."
        ),
        "sources": [
            {
                "url": "https://www.crainsdetroit.com/article/20180112/news/649881/"
                "fca-to-add-2500-jobs-in-warren-in-shift-of-heavy-duty-ram-production",
                "publisher": "Crain's Detroit Business",
                "title": "[Crain's Detroit report: FCA to add 2,500 jobs in Warren in shift of "
                "heavy-duty Ram production]",
                "published_on": "2018-01-12",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.clickondetroit.com/automotive/"
                "fca-investing-1-billion-in-truck-plant-to-move-ram-truck-production-from-"
                "mexico-to-michigan",
                "publisher": "ClickOnDetroit (WDIV)",
                "title": "FCA investing $1 billion in truck plant to move Ram truck production "
                "from Mexico to Michigan",
                "published_on": None,
                "role": "announcement",
                "quote": "It is only proper that our employees share in the savings generated "
                "by tax reform",
            },
            {
                "url": "https://www.autonews.com/article/20180111/OEM/180119921/"
                "fca-to-shift-heavy-duty-ram-output-to-u-s-from-mexico",
                "publisher": "Automotive News",
                "title": "[Automotive News report: FCA to shift heavy-duty Ram output to US from "
                "Mexico]",
                "published_on": "2018-01-11",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "https://si.frajer.net/readreplies.aspx?msgid=32045493&subjectid=473",
                "publisher": "si.frajer.net (forum copy of a Detroit Free Press article)",
                "title": "[Forum post quoting the Detroit Free Press: FCA to open Jeep factory "
                "in Detroit, invest $4.5 billion]",
                "published_on": "2019-02-27",
                "role": "evidence",
                "quote": "As a result of this investment announcement, production of the new "
                "Ram Heavy Duty will continue at its current location in Saltillo, Mexico.",
            },
            {
                "url": "https://clusterindustrial.com.mx/noticia/1310/"
                "produccion-de-la-ram-heavy-duty-se-queda-en-saltillo",
                "publisher": "Cluster Industrial",
                "title": "[Cluster Industrial (Spanish): Ram Heavy Duty production stays in "
                "Saltillo]",
                "published_on": None,
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "broken",
                "established_on": "2019-02-26",
                "explanation": (
                    "We rate this broken rather than superseded: the core promise, moving Ram "
                    "Heavy Duty output from Mexico to Michigan, was reversed outright, and the "
                    "replacement plan gives Warren 1,400 new jobs for other vehicles, not the "
                    "2,500 promised."
                ),
                "evidence": [
                    "https://si.frajer.net/readreplies.aspx?msgid=32045493&subjectid=473",
                    "https://clusterindustrial.com.mx/noticia/1310/"
                    "produccion-de-la-ram-heavy-duty-se-queda-en-saltillo",
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    {
        "ref": "fca-2019-02",
        "company": "Fiat Chrysler Automobiles",
        "title": "FCA plans $4.5 billion in Michigan, including a new Detroit assembly plant, "
        "and about 6,500 jobs",
        "summary": (
            "On 26 February 2019 FCA announced $4.5 billion for five existing Michigan plants "
            "and a new assembly plant in Detroit, its first in the city in nearly three decades: "
            "$1.6 billion to turn the Mack Avenue engine complex into a plant for the next Jeep "
            "Grand Cherokee and a new three-row Jeep (3,850 jobs), $900 million at Jefferson "
            "North (1,100 jobs) and $1.5 billion at Warren Truck (1,400 jobs). The plan replaced "
            "FCA's 2017 Warren commitment and cancelled the 2018 move of Ram Heavy Duty "
            "production from Mexico. It depended on land acquisition and incentives, which got "
            "the green light in May 2019."
        ),
        "announced_on": "2019-02-26",
        "announced_by": "Fiat Chrysler Automobiles (company announcement)",
        "made_to": "",
        "jobs_promised": 6500,
        "jobs_kind": "direct",
        "investment_usd": 4500000000,
        "locations": ["US-MI", "Detroit, Michigan", "Warren, Michigan"],
        "deadline": None,
        "timeframe": "first vehicles from the new Detroit plant by end-2020, Grand Cherokee in "
        "the first half of 2021",
        "uncertainty": (
            "'Nearly 6,500' jobs; the plant figures add up to 6,350 plus about 80 possible jobs "
            "at Sterling Stamping. Part of the Warren money re-announces the 2017 pledge."
        ),
        "sources": [
            {
                "url": _CHEERS_FCA_2019_02,
                "publisher": "Cheers & Gears",
                "title": "[Cheers & Gears report: FCA expanding Michigan production capacity]",
                "published_on": "2019-02-26",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.finanznachrichten.de/nachrichten-2019-02/"
                "46068234-fiat-chrysler-plans-to-invest-dollar-4-5-bln-in-u-s-create-about-6-"
                "500-new-jobs-020.htm",
                "publisher": "finanznachrichten.de (dpa-AFX)",
                "title": "[dpa-AFX report: Fiat Chrysler plans to invest $4.5 bln in US, create "
                "about 6,500 new jobs]",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.automotiveworld.com/news-releases/"
                "fca-statement-regarding-michigan-and-detroit-investment/",
                "publisher": "Automotive World",
                "title": "[FCA statement regarding Michigan and Detroit investment]",
                "published_on": "2019-05-21",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "in_progress",
                "established_on": "2019-05-21",
                "explanation": (
                    "FCA said the Jefferson North investment and the new Detroit assembly plant "
                    "had been given the green light with state and city support."
                ),
                "evidence": [
                    "https://www.automotiveworld.com/news-releases/"
                    "fca-statement-regarding-michigan-and-detroit-investment/"
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": "fca-2017-01",
    },
    # ------------------------------------------------------------------ General Motors
    {
        "ref": "gm-2017-01",
        "company": "General Motors",
        "title": "GM announces $1 billion in US plants and about 7,000 jobs created or retained",
        "summary": (
            "On 17 January 2017 GM said it would invest another $1 billion in US manufacturing "
            "(after $2.9 billion announced in 2016), tied to about 1,500 new or retained jobs; "
            "it would bring axle production for its next full-size pickups, partly done in "
            "Mexico, in-house in Michigan (450 jobs); a supplier would move about 100 jobs from "
            "Mexico; and it expected more than 5,000 salaried jobs in growth areas over the next "
            "few years. GM said the plans had been in motion for months, some since 2014. In "
            "November 2018 GM announced it would stop production at plants including Lordstown "
            "(Ohio), Detroit-Hamtramck, Warren Transmission and Baltimore, and cut about 8,000 "
            "salaried staff, some 14,000-14,700 North American jobs in all."
        ),
        "announced_on": "2017-01-17",
        "announced_by": "Mary Barra, Chairman and CEO",
        "made_to": "",
        "jobs_promised": 7000,
        "jobs_kind": "unspecified",
        "investment_usd": 1000000000,
        "locations": ["US", "US-MI"],
        "deadline": None,
        "timeframe": "over the next few years",
        "uncertainty": (
            "The 7,000 mixes new and retained jobs and GM never said how many of the 1,500 plant "
            "jobs were new. A March 2017 '900 jobs' announcement touted by Trump included 680 "
            "workers who would first be laid off and later recalled. Gross additions are "
            "unverified; net of the November 2018 cuts they are very likely negative."
        ),
        "sources": [
            {
                "url": "http://cn.reuters.com/article/idCNFWN1F70KR",
                "publisher": "Reuters",
                "title": "BRIEF-GM announces 7,000 U.S. Jobs, investing additional $1 bln in U.S. "
                "manufacturing",
                "published_on": "2017-01-17",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "http://www.necn.com/news/national-international/"
                "Fact-Check-How-Many-Jobs-Has-Trump-Created-415719743.html",
                "publisher": "NECN",
                "title": "Fact Check: How Many Jobs Has Trump Created?",
                "published_on": "2017-03-08",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "http://www.thefabricator.com/news/shopmanagement/"
                "gm-to-invest-1-billion-in-u-s-manufacturing",
                "publisher": "The Fabricator",
                "title": "[The Fabricator: GM to invest $1 billion in U.S. manufacturing]",
                "published_on": "2017-01-27",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "https://www.nbcnews.com/politics/donald-trump/"
                "fact-check-how-many-jobs-has-trump-created-n730236",
                "publisher": "NBC News",
                "title": "Fact Checking Donald Trump's Job Creation Claims",
                "published_on": None,
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "https://www.battlecreekenquirer.com/story/money/cars/general-motors/"
                "2018/11/26/ontario-plant-closure/2112539002/",
                "publisher": "Battle Creek Enquirer (Detroit Free Press)",
                "title": "General Motors to close Detroit, Ohio, Canada plants",
                "published_on": "2018-11-26",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "unverifiable",
                "established_on": "2018-11-26",
                "explanation": (
                    "GM never reported progress against the 7,000 figure, and its November 2018 "
                    "restructuring, idling five North American plants and cutting about 8,000 "
                    "salaried jobs, makes any net gain implausible and the gross figure "
                    "impossible to check."
                ),
                "evidence": [
                    "https://www.battlecreekenquirer.com/story/money/cars/general-motors/"
                    "2018/11/26/ontario-plant-closure/2112539002/"
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Walmart
    {
        "ref": "walmart-2017-01",
        "company": "Walmart",
        "title": "Walmart plans about 10,000 new US retail jobs in 2017 from $6.8 billion of "
        "capital spending",
        "summary": (
            "On 17 January 2017 Walmart said its $6.8 billion US capital budget for the fiscal "
            "year starting 1 February, first outlined in October 2016, would create about "
            "10,000 retail jobs through 59 new, expanded or relocated Walmart and Sam's Club "
            "stores and e-commerce services, and would support an estimated 24,000 construction "
            "jobs. The headline figure of 34,000 adds the two. A year earlier Walmart had "
            "announced the closure of 154 US stores employing about 10,000 people, and on "
            "11 January 2018, the day it announced tax-law wage rises, it abruptly closed 63 "
            "Sam's Clubs."
        ),
        "announced_on": "2017-01-17",
        "announced_by": "Dan Bartlett, EVP Corporate Affairs (company release)",
        "made_to": "",
        "jobs_promised": 10000,
        "jobs_kind": "direct",
        "investment_usd": 6800000000,
        "locations": ["US"],
        "deadline": "2018-01-31",
        "timeframe": "fiscal year 2018 (February 2017 to January 2018)",
        "uncertainty": (
            "Only the roughly 10,000 retail jobs are recorded; the 24,000 construction jobs were "
            "'supported' (temporary, mostly at contractors). Figures are gross: the 63 Sam's Club "
            "closures affected about 9,450 employees by Walmart's count (other reports said up "
            "to 11,000)."
        ),
        "sources": [
            {
                "url": "http://www.newratings.com/en/main/company_headline.m?nid=7654581",
                "publisher": "NewRatings (RTT News/dpa-AFX)",
                "title": "Walmart Plans $6.8 Bln Of Capital Investments In U.S.; To Create "
                "34,000 Jobs",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://cbsnews.com/amp/news/walmarts-2017-expansion-calls-for-10000-new-jobs",
                "publisher": "CBS News",
                "title": "Walmart’s 2017 expansion calls for 10,000 new jobs",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://homeworldbusiness.com/walmart-create-10k-u-s-jobs",
                "publisher": "HomeWorld Business",
                "title": "[HomeWorld Business report: Walmart to create 10,000 US jobs]",
                "published_on": None,
                "role": "follow_up",
                "quote": "With a presence in thousands of communities and a vast supplier "
                "network, we know we play an important role in supporting and creating American "
                "jobs.",
            },
            {
                "url": "http://www.indiaretailing.com/2017/01/18/food/food-grocery/"
                "walmart-add-10000-retail-jobs-us-2017/",
                "publisher": "Indiaretailing",
                "title": "Walmart to add 10,000 retail jobs in the US in 2017",
                "published_on": "2017-01-18",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "https://theweek.com/speedreads/748325/"
                "sams-club-closes-63-stores-same-day-walmart-announces-wage-increase",
                "publisher": "The Week",
                "title": "Sam's Club closes 63 stores on same day Walmart announces wage increase",
                "published_on": None,
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "unverifiable",
                "established_on": "2018-01-11",
                "explanation": (
                    "Walmart published no count of the retail jobs actually added, and the "
                    "overnight closure of 63 Sam's Clubs, with about 9,450 employees, cancels "
                    "out a figure of that size."
                ),
                "evidence": [
                    "https://theweek.com/speedreads/748325/"
                    "sams-club-closes-63-stores-same-day-walmart-announces-wage-increase"
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Amazon
    {
        "ref": "amazon-2017-01",
        "company": "Amazon",
        "title": "Amazon plans more than 100,000 new full-time US jobs within 18 months",
        "summary": (
            "On 12 January 2017 Amazon said it would add more than 100,000 full-time, "
            "full-benefit US jobs over 18 months, taking its US workforce from about 180,000 at "
            "the end of 2016 to over 280,000 by mid-2018. Many would be in fulfilment centres "
            "already announced and under construction in Texas, California, Florida, New Jersey "
            "and other states. Amazon's release did not mention Trump, though his incoming press "
            "secretary suggested the president-elect's meetings with tech leaders deserved "
            "credit; the build-out was already under way."
        ),
        "announced_on": "2017-01-12",
        "announced_by": "Jeff Bezos, Founder and CEO (company release)",
        "made_to": "",
        "jobs_promised": 100000,
        "jobs_kind": "direct",
        "investment_usd": None,
        "locations": ["US", "US-TX", "US-CA", "US-FL", "US-NJ"],
        "deadline": "2018-07-12",
        "timeframe": "over the next 18 months (by mid-2018)",
        "uncertainty": (
            "No follow-up comparing Amazon's mid-2018 US headcount with the 280,000 target was "
            "found in the stored sources, so the pledge is left unrated. Attribution to Trump "
            "is not supported by the company's own announcement."
        ),
        "sources": [
            {
                "url": "http://www.newratings.com/en/main/company_headline.m?nid=7647729",
                "publisher": "NewRatings (dpa-AFX)",
                "title": "Amazon Plans To Create Addl 100,000 Jobs In U.S. Over Next 18 Months",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "http://q13fox.com/2017/01/12/"
                "amazon-to-hire-100000-for-full-time-full-benefit-jobs-in-the-next-18-months/",
                "publisher": "Q13 Fox",
                "title": "Amazon to hire 100,000 for full-time, full-benefit jobs in the next 18 "
                "months",
                "published_on": "2017-01-12",
                "role": "announcement",
                "quote": "We plan to add another 100,000 new Amazonians across the company over "
                "the next 18 months",
            },
            {
                "url": "https://freebeacon.com/issues/amazon-create-100000-jobs-u-s",
                "publisher": "Washington Free Beacon",
                "title": "Amazon to Create More Than 100,000 Jobs in U.S. Over Next 18 Months",
                "published_on": "2017-01-12",
                "role": "follow_up",
                "quote": "",
            },
        ],
        "status_updates": [],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Intel
    {
        "ref": "intel-2011-02",
        "company": "Intel",
        "title": "Intel announces a $5 billion-plus chip factory, Fab 42, in Chandler, Arizona",
        "summary": (
            "Hosting President Obama at its Hillsboro, Oregon site on 18 February 2011, Intel "
            "chief executive Paul Otellini announced a new factory of more than $5 billion in "
            "Chandler, Arizona, Fab 42, to make 14-nanometre chips, with construction from "
            "mid-2011 and completion expected in 2013, bringing thousands of construction and "
            "permanent manufacturing jobs. (Separately, Intel said it would hire 4,000 people "
            "in the US that year.) The building was put up, but the fab was not fitted out; "
            "construction halted in 2014 in a chip-market downturn, and in February 2017 Intel "
            "re-announced the project with President Trump."
        ),
        "announced_on": "2011-02-18",
        "announced_by": "Paul Otellini, President and CEO",
        "made_to": "Barack Obama (President), during his visit to Intel's Oregon site",
        "jobs_promised": None,
        "jobs_kind": "unspecified",
        "investment_usd": 5000000000,
        "locations": ["US-AZ", "Chandler, Arizona"],
        "deadline": None,
        "timeframe": "construction from mid-2011, completion expected in 2013",
        "uncertainty": (
            "No job figure was given for Fab 42 itself ('thousands' of construction and "
            "permanent jobs); Obama later said about 1,000 people would work there. The 4,000 "
            "US hires Intel announced the same day were company-wide and are not recorded here."
        ),
        "sources": [
            {
                "url": "https://www.businesswire.com/news/home/20110218005715/en/"
                "President-Obama-Visits-Intel%E2%80%99s-Oregon-Research-Manufacturing",
                "publisher": "Business Wire",
                "title": "President Obama Visits Intel’s Oregon Research and Manufacturing "
                "Site, Highlights Education, Jobs and Innovation",
                "published_on": "2011-02-18",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.crn.com/news/components-peripherals/229218985/"
                "otellini-hosts-obama-at-intel-fab-joins-presidents-jobs-advisory-board",
                "publisher": "CRN",
                "title": "Otellini Hosts Obama At Intel Fab, Joins President's Jobs Advisory Board",
                "published_on": None,
                "role": "announcement",
                "quote": "This new factory will play a central role in extending Intel’s "
                "unquestioned leadership in semiconductor manufacturing",
            },
            {
                "url": "https://www.informationweek.com/pc-and-servers/obama-tours-intel-hillsboro-plant",
                "publisher": "InformationWeek",
                "title": "Obama Tours Intel Hillsboro Plant",
                "published_on": None,
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": _BUZZFEED_INTEL_2017,
                "publisher": "BuzzFeed News",
                "title": "Alongside Trump, Intel Reannounces Arizona Factory It Promised To "
                "Create During Obama Years",
                "published_on": "2017-02-08",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "superseded",
                "established_on": "2017-02-08",
                "explanation": (
                    "The factory missed its 2013 completion date and sat unfinished; Intel "
                    "replaced the 2011 plan with a new $7 billion commitment to complete Fab 42, "
                    "announced at the White House."
                ),
                "evidence": [_BUZZFEED_INTEL_2017],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    {
        "ref": "intel-2017-02",
        "company": "Intel",
        "title": "Intel to spend $7 billion finishing Fab 42 in Arizona, with about 3,000 "
        "direct jobs",
        "summary": (
            "In the Oval Office on 8 February 2017, Intel chief executive Brian Krzanich said "
            "the company would invest more than $7 billion over three to four years to complete "
            "Fab 42 in Chandler, Arizona, which would directly employ about 3,000 people and "
            "support more than 10,000 jobs in Arizona in total. He said he chose the venue to "
            "back the administration's tax and regulatory agenda. It was the second time the "
            "same factory had been announced alongside a sitting president: Intel first "
            "announced it in 2011 with Obama. Fab 42 began production in 2020, and Intel said it "
            "had hired the 3,000 new workers."
        ),
        "announced_on": "2017-02-08",
        "announced_by": "Brian Krzanich, CEO",
        "made_to": "Donald Trump (President)",
        "jobs_promised": 3000,
        "jobs_kind": "direct",
        "investment_usd": 7000000000,
        "locations": ["US-AZ", "Chandler, Arizona"],
        "deadline": None,
        "timeframe": "completion in three to four years",
        "uncertainty": (
            "The 3,000 hires are Intel's own figure (reported via the Phoenix Business Journal), "
            "not independently checked; the 10,000 supported jobs were never measured. The "
            "factory was a re-announcement of a 2011 project."
        ),
        "sources": [
            {
                "url": _BUZZFEED_INTEL_2017,
                "publisher": "BuzzFeed News",
                "title": "Alongside Trump, Intel Reannounces Arizona Factory It Promised To "
                "Create During Obama Years",
                "published_on": "2017-02-08",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "http://www.rcrwireless.com/20170209/chips/"
                "intel-to-add-3000-jobs-in-arizona-invest-7-billion-tag4",
                "publisher": "RCR Wireless News",
                "title": "[RCR Wireless report: Intel to add 3,000 jobs in Arizona, invest "
                "$7 billion]",
                "published_on": "2017-02-09",
                "role": "announcement",
                "quote": "in support of the tax and regulatory policies that we see the "
                "Administration pushing forward.",
            },
            {
                "url": "https://evertiq.com/design/48898",
                "publisher": "Evertiq",
                "title": "Intel’s massive expansion in Arizona is finally operational",
                "published_on": "2020-10-05",
                "role": "evidence",
                "quote": "",
            },
            {
                "url": "https://thelec.net/news/articleView.html?idxno=1673",
                "publisher": "TheElec",
                "title": "[TheElec report: Intel's Fab 42 in Arizona begins operation]",
                "published_on": None,
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "kept",
                "established_on": "2020-10-05",
                "explanation": (
                    "Fab 42 was completed and producing 10-nanometre chips in 2020, and Intel "
                    "said it had hired the 3,000 new employees over the previous 12-18 months."
                ),
                "evidence": [
                    "https://evertiq.com/design/48898",
                    "https://thelec.net/news/articleView.html?idxno=1673",
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": "intel-2011-02",
    },
    # ------------------------------------------------------------------ ExxonMobil
    {
        "ref": "exxonmobil-2017-03",
        "company": "ExxonMobil",
        "title": "ExxonMobil's $20 billion 'Growing the Gulf' plan, claimed to create more than "
        "45,000 jobs",
        "summary": (
            "In his first major speech as chief executive, at the CERAWeek conference in Houston "
            "on 6 March 2017, Darren Woods presented 'Growing the Gulf': $20 billion for 11 "
            "chemical, refining, lubricant and liquefied natural gas projects on the Texas and "
            "Louisiana coasts, which he said would create about 35,000 construction jobs and "
            "12,000 permanent ones. The White House statement praising it copied Exxon's text "
            "almost word for word. Exxon's own release said the investments began in 2013 and "
            "would run to at least 2022, and several projects had been announced before."
        ),
        "announced_on": "2017-03-06",
        "announced_by": "Darren Woods, Chairman and CEO",
        "made_to": "",
        "jobs_promised": 45000,
        "jobs_kind": "unspecified",
        "investment_usd": 20000000000,
        "locations": ["US-TX", "US-LA", "US Gulf Coast"],
        "deadline": None,
        "timeframe": "programme began in 2013 and runs to at least 2022",
        "uncertainty": (
            "The headline 'more than 45,000' mixes roughly 35,000 temporary construction jobs "
            "with 12,000 permanent ones (the parts add up to 47,000). Much of the $20 billion "
            "predates 2017, so this is largely a re-announcement; no outcome tracking found."
        ),
        "sources": [
            {
                "url": "https://www.hartenergy.com/exclusives/"
                "ceraweek-exxonmobil-ceo-pledges-20-billion-investment-gulf-coast-powerhouse-29692",
                "publisher": "Hart Energy",
                "title": "[Hart Energy report: ExxonMobil CEO pledges $20 billion Gulf Coast "
                "investment at CERAWeek]",
                "published_on": None,
                "role": "announcement",
                "quote": "The supply is here, the demand is there. We want to keep connecting "
                "those dots.",
            },
            {
                "url": "http://www.newratings.com/en/main/company_headline.m?nid=7762344",
                "publisher": "NewRatings (dpa-AFX)",
                "title": "Trump Calls Exxon's $20 Bln Gulf Coast Projects \"A True American "
                'Success Story"',
                "published_on": None,
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "https://chiefexecutive.net/exxon-ceos-job-creating-spending-spree-hardly-trump/",
                "publisher": "Chief Executive",
                "title": "Exxon CEO’s Job-Creating Spending Spree is Hardly About Trump",
                "published_on": None,
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "http://www.latimes.com/politics/"
                "la-pol-updates-everything-president-trump-congratulates-exxon-touts-jobs-"
                "1488850030-htmlstory.html",
                "publisher": "Los Angeles Times",
                "title": "[Los Angeles Times live update: Trump congratulates Exxon, touts jobs]",
                "published_on": None,
                "role": "follow_up",
                "quote": "",
            },
        ],
        "status_updates": [],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Charter
    {
        "ref": "charter-2017-03",
        "company": "Charter Communications",
        "title": "Charter commits $25 billion to broadband and 20,000 US hires over four years",
        "summary": (
            "In the Oval Office on 24 March 2017, Charter chief executive Tom Rutledge said the "
            "company would invest $25 billion in broadband infrastructure and technology and "
            "hire 20,000 US workers over four years, and would bring all of Time Warner Cable's "
            "offshore call-centre work back to the US, including a new centre in McAllen, Texas "
            "with 600 jobs. The hiring was not new: Charter had promised 20,000 jobs in 2015 "
            "while seeking approval to buy Time Warner Cable; what was new was the four-year "
            "timetable and the $25 billion investment figure."
        ),
        "announced_on": "2017-03-24",
        "announced_by": "Tom Rutledge, Chairman and CEO",
        "made_to": "Donald Trump (President)",
        "jobs_promised": 20000,
        "jobs_kind": "direct",
        "investment_usd": 25000000000,
        "locations": ["US", "US-TX", "McAllen, Texas"],
        "deadline": "2021-03-24",
        "timeframe": "over the next four years",
        "uncertainty": (
            "The 20,000 hires re-state a 2015 merger-era commitment (not stored as a separate "
            "pledge). Charter's 2015 filings already projected more than $19 billion of capital "
            "spending for 2017-2019, so how much of the $25 billion is additional is unclear. "
            "No outcome found in stored material."
        ),
        "sources": [
            {
                "url": "https://variety.com/2017/biz/news/"
                "donald-trump-charter-communications-new-hires-1202015535/",
                "publisher": "Variety",
                "title": "President Trump Touts New Charter Investments, Including Commitments "
                "Made Last Year",
                "published_on": None,
                "role": "announcement",
                "quote": "Charter has been insourcing jobs for the past five years, and as a "
                "result of that our company has performed tremendously,",
            },
            {
                "url": "https://deadline.com/print-article/1202051028/",
                "publisher": "Deadline",
                "title": "Charter’s U.S. Investment Pledge Gets Donald Trump Plug",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.mediapost.com/publications/article/297871/"
                "trump-takes-credit-for-charters-expansion-promise.html",
                "publisher": "MediaPost",
                "title": "[MediaPost report: Trump takes credit for Charter's expansion promise]",
                "published_on": None,
                "role": "follow_up",
                "quote": "",
            },
        ],
        "status_updates": [],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ IBM
    {
        "ref": "ibm-2016-12",
        "company": "IBM",
        "title": "IBM intends to hire about 25,000 people in the US over four years and spend "
        "$1 billion on training",
        "summary": (
            "In a USA Today opinion piece published on 13 December 2016, the day before she "
            "joined other technology leaders at Trump Tower, IBM chief executive Ginni Rometty "
            "wrote that IBM intended to hire about 25,000 professionals in the US over the next "
            "four years, 6,000 of them in 2017, and to invest $1 billion in training and "
            "developing US employees. She framed the hires as 'new collar' jobs needing skills "
            "rather than degrees. IBM did not say whether the hires would add to its US "
            "headcount, while it was cutting jobs elsewhere in the business, and told CNBC the "
            "figure was a plan rather than a hard commitment."
        ),
        "announced_on": "2016-12-13",
        "announced_by": "Ginni Rometty, CEO",
        "made_to": "",
        "jobs_promised": 25000,
        "jobs_kind": "direct",
        "investment_usd": 1000000000,
        "locations": ["US"],
        "deadline": "2020-12-13",
        "timeframe": "over the next four years (6,000 in 2017)",
        "uncertainty": (
            "Gross hires, not net jobs: IBM was restructuring at the same time (CRN reported "
            "just over 10,000 global cuts in 2016). The $1 billion is for training, not capital "
            "spending."
        ),
        "sources": [
            {
                "url": "https://crn.com/news/cloud/300083148/"
                "ibm-ceo-rometty-pledges-25-000-hires-in-four-years-on-the-eve-of-trump-meeting",
                "publisher": "CRN",
                "title": "IBM CEO Rometty Pledges 25,000 Hires In Four Years On The Eve Of Trump "
                "Meeting",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://domain-b.com/companies-organisations/firms-companies/"
                "ibm-to-hire-25-000-in-us-invest-1-bn-over-next-four-years",
                "publisher": "domain-b.com",
                "title": "IBM to hire 25,000 in US, invest $1 bn over next four years",
                "published_on": "2016-12-14",
                "role": "announcement",
                "quote": "we intend to hire about 25,000 professionals in the next four years in "
                "the United States, 6,000 of those in 2017",
            },
            {
                "url": "https://www.cnbc.com/2016/12/13/ibm-offers-to-hire-25000-us-workers-next-year.html",
                "publisher": "CNBC",
                "title": "IBM offers to hire 25,000 US workers next year",
                "published_on": "2016-12-13",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "unverifiable",
                "established_on": "2016-12-13",
                "explanation": (
                    "Rated unverifiable from the start: IBM told CNBC the figure was not a hard "
                    "commitment and would not say whether the hires were net of its ongoing "
                    "job cuts, so no published headcount could show it kept."
                ),
                "evidence": [
                    "https://www.cnbc.com/2016/12/13/ibm-offers-to-hire-25000-us-workers-next-year.html",
                    "https://crn.com/news/cloud/300083148/"
                    "ibm-ceo-rometty-pledges-25-000-hires-in-four-years-on-the-eve-of-trump-meeting",
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Lockheed Martin
    {
        "ref": "lockheed-2017-01",
        "company": "Lockheed Martin",
        "title": "Lockheed Martin says it will add 1,800 F-35 jobs in Fort Worth",
        "summary": (
            "Leaving a meeting with Trump at Trump Tower on 13 January 2017, weeks after he had "
            "called the F-35 programme's costs out of control, chief executive Marillyn Hewson "
            "said Lockheed was close to a deal to cut the jet's price and would increase its "
            "Fort Worth, Texas workforce by 1,800, with 'thousands and thousands' more jobs "
            "across a supply chain in 45 states. The company had earlier said it would hire "
            "about 1,000 people there as F-35 production ramped up, so the new figure was about "
            "800 above its previous plan."
        ),
        "announced_on": "2017-01-13",
        "announced_by": "Marillyn Hewson, CEO",
        "made_to": "Donald Trump (President-elect)",
        "jobs_promised": 1800,
        "jobs_kind": "direct",
        "investment_usd": None,
        "locations": ["US-TX", "Fort Worth, Texas"],
        "deadline": None,
        "timeframe": "",
        "uncertainty": (
            "About 1,000 of the 1,800 were already planned as F-35 production rose. The supply "
            "chain jobs were not quantified and are not recorded. No follow-up found."
        ),
        "sources": [
            {
                "url": "https://www.texastribune.org/2017/01/13/"
                "lockheed-martin-ceo-meets-trump-says-new-jobs-comi/",
                "publisher": "The Texas Tribune",
                "title": "Lockheed Martin CEO meets with Trump, announces 1,800 more jobs coming "
                "to Fort Worth",
                "published_on": "2017-01-13",
                "role": "announcement",
                "quote": "In fact we are going to increase our jobs in Fort Worth by 1,800 jobs",
            },
            {
                "url": "https://thehill.com/policy/defense/industry/"
                "314232-lockheed-ceo-to-trump-well-add-18k-jobs",
                "publisher": "The Hill",
                "title": "Lockheed tells Trump it's adding 1,800 jobs",
                "published_on": None,
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.nbcdfw.com/news/local/"
                "lockheed-martin-ceo-close-to-landing-lower-f-35-deal/19290/",
                "publisher": "NBC DFW",
                "title": "Lockheed Martin CEO ‘Close to Landing Lower F-35 Deal'",
                "published_on": None,
                "role": "follow_up",
                "quote": "",
            },
        ],
        "status_updates": [],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Bayer / Monsanto
    {
        "ref": "bayer-2017-01",
        "company": "Bayer AG",
        "title": "Bayer pledges to keep Monsanto's 9,000 US jobs, add 3,000 high-tech jobs and "
        "spend $8 billion on US R&D",
        "summary": (
            "After Bayer chief executive Werner Baumann and Monsanto chief executive Hugh Grant "
            "met Trump the previous week, Trump's incoming press secretary Sean Spicer said on "
            "17 January 2017 that Bayer had committed, if its takeover of Monsanto went ahead, "
            "to keep Monsanto in St. Louis, retain all of its 9,000-plus US workforce, create "
            "at least 3,000 new US high-tech jobs and spend $8 billion on US research and "
            "development. The companies' joint statement put combined agricultural R&D at about "
            "$16 billion over six years, at least half in the US, in line with the budget "
            "announced with the merger in September 2016. The deal still needed regulatory "
            "approval and closed in 2018; that November Bayer announced about 12,000 job cuts "
            "worldwide."
        ),
        "announced_on": "2017-01-17",
        "announced_by": "Werner Baumann, CEO of Bayer (with Monsanto CEO Hugh Grant); "
        "announced by Sean Spicer for the Trump transition",
        "made_to": "Donald Trump (President-elect)",
        "jobs_promised": 3000,
        "jobs_kind": "direct",
        "investment_usd": 8000000000,
        "locations": ["US", "US-MO", "St. Louis, Missouri"],
        "deadline": None,
        "timeframe": "R&D over six years; new jobs after the merger integration",
        "uncertainty": (
            "Recorded figure is the 3,000 new jobs; the promise to retain 100% of Monsanto's "
            "9,000+ US jobs is part of the same pledge but not counted in jobs_promised. The "
            "$8 billion is half of an R&D budget already stated at the 2016 merger "
            "announcement. Conditional on the merger."
        ),
        "sources": [
            {
                "url": "https://digital-staging.thehill.com/business-a-lobbying/"
                "314559-trump-team-touts-8-billion-bayer-investment",
                "publisher": "The Hill",
                "title": "Trump team touts $8 billion Bayer investment",
                "published_on": None,
                "role": "announcement",
                "quote": "This is an investment in innovation and people that will create "
                "several thousand new high-tech, well-paying jobs after integration is complete",
            },
            {
                "url": "https://www.agri-pulse.com/articles/"
                "8216-trump-transition-team-announces-bayer-monsanto-job-pledge",
                "publisher": "Agri-Pulse",
                "title": "[Agri-Pulse report: Trump transition team announces Bayer-Monsanto job "
                "pledge]",
                "published_on": "2017-01-17",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://www.moneycontrol.com/news/business/"
                "bayer-to-cut-12000-jobs-after-monsanto-takeover-3236051.html",
                "publisher": "Moneycontrol (PTI)",
                "title": "Bayer to cut 12,000 jobs after Monsanto takeover",
                "published_on": "2018-11-29",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "unverifiable",
                "established_on": "2018-11-29",
                "explanation": (
                    "Months after closing the takeover, Bayer announced about 12,000 job cuts "
                    "worldwide, 4,100 of them in crop science, without a US breakdown, so "
                    "whether Monsanto's US jobs were kept and 3,000 added cannot be checked."
                ),
                "evidence": [
                    "https://www.moneycontrol.com/news/business/"
                    "bayer-to-cut-12000-jobs-after-monsanto-takeover-3236051.html"
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Foxconn
    {
        "ref": "foxconn-2017-07",
        "company": "Foxconn",
        "title": "Foxconn promises a $10 billion LCD plant in Wisconsin with 3,000 and up to "
        "13,000 jobs",
        "summary": (
            "At the White House on 26 July 2017, Foxconn chairman Terry Gou and Trump announced "
            "a $10 billion plant in southeastern Wisconsin to make LCD panels, which Trump said "
            "would create at least 3,000 jobs and potentially up to 13,000. Wisconsin's contract "
            "offered about $2.85 billion in state tax credits (nearly $4 billion with local "
            "incentives) tied to jobs and investment; the site chosen was Mount Pleasant in "
            "Racine County, where Trump attended the groundbreaking in June 2018. Foxconn "
            "missed its first hiring targets and repeatedly scaled the project back, and in "
            "April 2021 the state agreed a far smaller contract."
        ),
        "announced_on": "2017-07-26",
        "announced_by": "Terry Gou, Chairman",
        "made_to": "Donald Trump (President)",
        "jobs_promised": 13000,
        "jobs_kind": "direct",
        "investment_usd": 10000000000,
        "locations": ["US-WI", "Mount Pleasant, Wisconsin"],
        "deadline": None,
        "timeframe": "initial 3,000 jobs, up to 13,000 over the life of the contract (15 years)",
        "uncertainty": (
            "The firm figure was 3,000; 13,000 was the potential maximum ('up to'). The plant "
            "site was only named later. Incentive totals vary by source ($2.85 billion in state "
            "credits; about $3-4 billion with local aid)."
        ),
        "sources": [
            {
                "url": "https://www.upi.com/Top_News/US/2017/07/26/"
                "Foxconn-to-build-plant-in-Wisconsin-invest-10B/4381501107291/",
                "publisher": "UPI",
                "title": "Foxconn to build plant in Wisconsin, invest $10B",
                "published_on": "2017-07-26",
                "role": "announcement",
                "quote": "America does not have a single LCD plant to produce a complicated "
                "system,",
            },
            {
                "url": "http://ecns.cn/business/2017/07-27/267031.shtml",
                "publisher": "ECNS",
                "title": "[ECNS (Xinhua) report: Trump hails Foxconn's $10 billion Wisconsin "
                "investment]",
                "published_on": "2017-07-27",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://madison.com/wsj/news/local/govt-and-politics/"
                "foxconn-falls-short-of-job-creation-quota-for/"
                "article_51340853-6e93-55d2-ac4a-13eed7c765fa.html",
                "publisher": "Wisconsin State Journal (madison.com)",
                "title": "[Wisconsin State Journal: Foxconn falls short of job creation quota "
                "for 2018]",
                "published_on": None,
                "role": "evidence",
                "quote": "As a company with operations around the world, we need to have the "
                "agility to adapt to a range of factors including global economic conditions,",
            },
            {
                "url": _WBAY_FOXCONN_2021,
                "publisher": "WBAY",
                "title": "[WBAY report: Evers announces renegotiated Foxconn contract]",
                "published_on": "2021-04-20",
                "role": "evidence",
                "quote": "",
            },
            {
                "url": _JSONLINE_FOXCONN_2021,
                "publisher": "Milwaukee Journal Sentinel",
                "title": "[Journal Sentinel: Foxconn and state agree new deal, hiring up to "
                "1,454 compared with 13,000 in 2017]",
                "published_on": "2021-04-20",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "stalled",
                "established_on": "2019-01-17",
                "explanation": (
                    "Foxconn told the state it had only 178 qualifying full-time jobs at the end "
                    "of 2018, short of the 260 minimum and the 1,040 target for tax credits, and "
                    "said it had adjusted its hiring timeline."
                ),
                "evidence": [
                    "https://madison.com/wsj/news/local/govt-and-politics/"
                    "foxconn-falls-short-of-job-creation-quota-for/"
                    "article_51340853-6e93-55d2-ac4a-13eed7c765fa.html"
                ],
            },
            {
                "status": "superseded",
                "established_on": "2021-04-20",
                "explanation": (
                    "Wisconsin's economic development board approved an amended contract that "
                    "replaces the 13,000-job, $10 billion plan with 1,454 jobs and about "
                    "$672 million of investment by 2026, for at most $80 million in credits."
                ),
                "evidence": [_WBAY_FOXCONN_2021, _JSONLINE_FOXCONN_2021],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    {
        "ref": "foxconn-2021-04",
        "company": "Foxconn",
        "title": "Foxconn's renegotiated Wisconsin contract: 1,454 jobs and about $672 million "
        "by 2026",
        "summary": (
            "On 20 April 2021 the Wisconsin Economic Development Corporation approved a new "
            "contract with Foxconn after more than a year of talks. To earn up to $80 million "
            "in performance-based tax credits over six years (against $2.85 billion in the "
            "2017 deal), Foxconn must employ 1,454 qualifying workers at an average wage of "
            "$53,875 and invest about $672 million in Mount Pleasant by 2026, with no "
            "requirement on what it makes there. Governor Tony Evers said the change saved "
            "taxpayers $2.77 billion."
        ),
        "announced_on": "2021-04-20",
        "announced_by": "Foxconn and the Wisconsin Economic Development Corporation (announced "
        "by Gov. Tony Evers)",
        "made_to": "State of Wisconsin (Wisconsin Economic Development Corporation)",
        "jobs_promised": 1454,
        "jobs_kind": "direct",
        "investment_usd": 672000000,
        "locations": ["US-WI", "Mount Pleasant, Wisconsin"],
        "deadline": None,
        "timeframe": "by 2026; credits available over six years",
        "uncertainty": (
            "Reports differ on the investment target: $672 million in the Journal Sentinel and "
            "the governor's summary, $676 million elsewhere in the same WBAY article and in "
            "radio reports."
        ),
        "sources": [
            {
                "url": _WBAY_FOXCONN_2021,
                "publisher": "WBAY",
                "title": "[WBAY report: Evers announces renegotiated Foxconn contract]",
                "published_on": "2021-04-20",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": _JSONLINE_FOXCONN_2021,
                "publisher": "Milwaukee Journal Sentinel",
                "title": "[Journal Sentinel: Foxconn and state agree new deal, hiring up to "
                "1,454 compared with 13,000 in 2017]",
                "published_on": "2021-04-20",
                "role": "announcement",
                "quote": "the last deal didn’t work for Wisconsin, and that doesn’t work for me",
            },
            {
                "url": "https://www.law360.com/articles/1377246/"
                "wis-board-approves-pared-down-80m-foxconn-tax-break",
                "publisher": "Law360",
                "title": "[Law360: Wisconsin board approves pared-down $80M Foxconn tax break]",
                "published_on": "2021-04-20",
                "role": "follow_up",
                "quote": "",
            },
        ],
        "status_updates": [],
        "part_of": None,
        # Supersedes foxconn-2017-07 (a PledgeLink in demo_ledger.LINKS), not a re-announcement.
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Toyota-Mazda
    {
        "ref": "toyota-mazda-2018-01",
        "company": "Mazda Toyota Manufacturing, U.S.A.",
        "title": "Toyota and Mazda pick Huntsville, Alabama for a $1.6 billion joint plant with "
        "up to 4,000 jobs",
        "summary": (
            "On 10 January 2018 in Montgomery, Governor Kay Ivey, Toyota president Akio Toyoda "
            "and Mazda chief executive Masamichi Kogai announced a $1.6 billion joint-venture "
            "assembly plant in Huntsville (Limestone County), funded equally by the two "
            "carmakers, to build the Toyota Corolla and a new Mazda SUV from 2021 at up to "
            "300,000 vehicles a year, employing up to 4,000 people at an average of about "
            "$50,000 a year. Alabama's incentive package was reported at more than $370 million. "
            "Trump welcomed the news on Twitter. By mid-2022 the investment had grown to "
            "$2.3 billion and the companies aimed to reach 4,000 jobs by the end of that year."
        ),
        "announced_on": "2018-01-10",
        "announced_by": "Akio Toyoda (Toyota President) and Masamichi Kogai (Mazda President and "
        "CEO), with Gov. Kay Ivey",
        "made_to": "",
        "jobs_promised": 4000,
        "jobs_kind": "direct",
        "investment_usd": 1600000000,
        "locations": ["US-AL", "Huntsville, Alabama"],
        "deadline": None,
        "timeframe": "production from 2021",
        "uncertainty": (
            "'Up to' 4,000 jobs. The 2022 figures ($2.3 billion, 4,000 jobs by end-2022) are "
            "targets reported during a governor's visit, not an audited headcount."
        ),
        "sources": [
            {
                "url": "http://www.wsfa.com/story/37236749/"
                "gov-ivey-announces-toyota-mazda-plant-coming-to-alabama",
                "publisher": "WSFA",
                "title": "[WSFA report: Gov. Ivey announces Toyota-Mazda plant coming to Alabama]",
                "published_on": "2018-01-10",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "http://whnt.com/2018/01/10/"
                "toyota-mazda-to-bring-1-6-billion-dollar-plant-to-huntsville-expected-to-bring-"
                "4000-jobs-state-officials-announce/",
                "publisher": "WHNT",
                "title": "[WHNT report: Toyota, Mazda to bring $1.6 billion plant to Huntsville]",
                "published_on": "2018-01-10",
                "role": "announcement",
                "quote": "The partnership between Toyota and Mazda will expand innovative "
                "automotive manufacturing in Alabama,",
            },
            {
                "url": "https://today.thefinancialexpress.com.bd/trade-market/"
                "toyota-mazda-announce-16b-plant-1515695519",
                "publisher": "The Financial Express (Reuters)",
                "title": "Toyota, Mazda announce $1.6b plant",
                "published_on": "2018-01-12",
                "role": "follow_up",
                "quote": "",
            },
            {
                "url": "https://www.waff.com/2022/06/30/gov-ivey-visits-huntsvilles-mazda-toyota-plant/",
                "publisher": "WAFF",
                "title": "[WAFF report: Gov. Ivey visits Huntsville's Mazda Toyota plant]",
                "published_on": "2022-06-30",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "in_progress",
                "established_on": "2022-06-30",
                "explanation": (
                    "The plant was operating when the governor visited in June 2022; the "
                    "investment had risen to $2.3 billion and the partners were working "
                    "towards 4,000 jobs by the end of the year."
                ),
                "evidence": [
                    "https://www.waff.com/2022/06/30/gov-ivey-visits-huntsvilles-mazda-toyota-plant/"
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
    # ------------------------------------------------------------------ Apple
    {
        "ref": "apple-2018-01",
        "company": "Apple",
        "title": "Apple promises 20,000 new US jobs and a new campus over five years, citing the "
        "tax law",
        "summary": (
            "On 17 January 2018 Apple said it would create more than 20,000 US jobs over five "
            "years and open a new campus, initially for customer support, and spend more than "
            "$30 billion in US capital expenditure, including about $10 billion on data centres. "
            "It also expected to pay about $38 billion in tax on repatriating overseas cash "
            "under the new law, and raised an innovation fund from $1 billion to $5 billion. Its "
            "headline 'contribution' of $350 billion to the US economy over five years mostly "
            "counted spending with US suppliers at its existing pace of about $55 billion a "
            "year. In December 2018 Apple named Austin for a $1 billion campus and said "
            "it remained on course for 20,000 jobs by 2023."
        ),
        "announced_on": "2018-01-17",
        "announced_by": "Apple (company release; CEO Tim Cook)",
        "made_to": "",
        "jobs_promised": 20000,
        "jobs_kind": "direct",
        "investment_usd": 30000000000,
        "locations": ["US", "US-TX", "Austin, Texas"],
        "deadline": "2023-01-17",
        "timeframe": "over five years",
        "uncertainty": (
            "investment_usd records the $30 billion of capital spending, not the $350 billion "
            "'contribution', which bundles routine supplier spending and is not an investment. "
            "CNBC read the jobs as including some at suppliers and app developers; Apple's "
            "later updates describe them as Apple hiring."
        ),
        "sources": [
            {
                "url": "http://news.d2p.com/tag/apple/",
                "publisher": "news.d2p.com (copy of a CNBC article)",
                "title": "Apple announces plans to repatriate billions in overseas cash, says it "
                "will contribute $350 billion to the US economy over the next 5 years",
                "published_on": "2018-01-19",
                "role": "announcement",
                "quote": "We have a deep sense of responsibility to give back to our country and "
                "the people who help make our success possible.",
            },
            {
                "url": "https://thenewsprint.co/2018/01/17/"
                "apple-to-invest-350-dollars-billion-in-the-united-states-over-the-next-5-years/",
                "publisher": "The Newsprint",
                "title": "[The Newsprint: Apple to invest $350 billion in the United States over "
                "the next 5 years]",
                "published_on": "2018-01-17",
                "role": "announcement",
                "quote": "",
            },
            {
                "url": "https://abc7news.com/technology/apple-to-build-$1-billion-campus-in-texas/4890129/",
                "publisher": "ABC7 News (KGO-TV)",
                "title": "Apple to build $1 billion campus in Austin, Texas as part of U.S. "
                "expansion",
                "published_on": "2018-12-13",
                "role": "evidence",
                "quote": "",
            },
            {
                "url": "https://9to5mac.com/2018/12/13/"
                "apple-to-build-new-1bn-campus-in-austin-add-thousands-of-jobs-across-the-us/",
                "publisher": "9to5Mac",
                "title": "[9to5Mac: Apple to build new $1bn campus in Austin, add thousands of "
                "jobs across the US]",
                "published_on": "2018-12-13",
                "role": "evidence",
                "quote": "",
            },
        ],
        "status_updates": [
            {
                "status": "in_progress",
                "established_on": "2018-12-13",
                "explanation": (
                    "Apple announced a $1 billion Austin campus starting with 5,000 employees "
                    "(room for 15,000) and new sites in Seattle, San Diego and Culver City, said "
                    "it had added 6,000 US jobs in 2018, and reaffirmed 20,000 by 2023."
                ),
                "evidence": [
                    "https://abc7news.com/technology/apple-to-build-$1-billion-campus-in-texas/4890129/",
                    "https://9to5mac.com/2018/12/13/"
                    "apple-to-build-new-1bn-campus-in-austin-add-thousands-of-jobs-across-the-us/",
                ],
            },
        ],
        "part_of": None,
        "reannouncement_of": None,
    },
]

NOTES: list[str] = [
    "Titles in [square brackets] are our descriptions: the stored copy of the page did not show "
    "the headline. Replace them with the real headline when a re-check job fetches the page.",
    "These research-file addresses were not found in the stored pages and are kept on the "
    "research file's word only (title bracketed, never used as status evidence): the Fortune "
    "and CBS News Alibaba articles, the Detroit News Flat Rock article, "
    "the Crain's Detroit Ram Heavy Duty article and the Los Angeles Times Exxon live update.",
    "The Forbes SoftBank article (Dec 2019) was read through a mirror; its forbes.com address "
    "was rebuilt from the mirror's path. The si.frajer.net page is a forum post quoting the "
    "Detroit Free Press, and news.d2p.com reproduces a CNBC article.",
    "Wikidata ids are left blank: none was checked. Tickers are the listing at the time of "
    "the pledge; Sprint (S) and FCA "
    "(FCAU) no longer trade. Carrier's parent at the time was United Technologies (UTX); "
    "Carrier has no ticker here. Mazda Toyota Manufacturing's website was not checked.",
    "FCA's country is NL (Fiat Chrysler Automobiles N.V.); the Stellantis alias and website "
    "reflect its 2021 successor. OneWeb's country is GB (described as UK-based in 2020 "
    "reports), though it was called Arlington, Virginia-based in 2016.",
    "Figures that mix kinds: Walmart's headline 34,000 (10,000 retail + 24,000 construction "
    "'supported'; only 10,000 recorded), Exxon's 'more than 45,000' (35,000 construction + "
    "12,000 permanent = 47,000), GM's 7,000 (new and retained), Bayer's 3,000 new plus 9,000+ "
    "retained (only 3,000 recorded), Intel's 3,000 direct plus 10,000 supported (only 3,000 "
    "recorded).",
    "Overlaps that break naive totals: sprint-2016-12 and oneweb-2016-12 are part_of "
    "softbank-2016-12; the Ford, FCA and Intel chains re-announce or re-scope earlier pledges "
    "(see reannouncement_of), Foxconn's 2021 contract supersedes its 2017 one and FCA's 2019 "
    "plan reverses its 2018 one (demo_ledger.LINKS); totals count only the latest version of "
    "a promise. Charter's 20,000 hires and "
    "Exxon's Gulf programme also restate pre-election plans that are not stored separately.",
    "Carrier: Trump's 'over 1,100 jobs saved' counts about 300 engineering and headquarters "
    "jobs that were never due to move; the deal itself covers 1,069 jobs, of which about 800 "
    "were really at risk. Rated partially_kept.",
    "FCA's 2018 Ram Heavy Duty move is rated broken (not superseded) because its central "
    "promise, moving production out of Mexico, was reversed in February 2019.",
    "Research-file figures corrected after checking: Foxconn's end-2018 count was 178 "
    "credit-qualifying full-time jobs (against a 260 minimum and a 1,040 target), not "
    "'about 100'; FCA described its January 2017 plan as the second phase of a January 2016 "
    "plan (the $5.3 billion September 2015 figure in the notes was not confirmed).",
    "Left unrated ('announced') for lack of any stored follow-up: Sprint, Amazon, ExxonMobil, "
    "Charter, Lockheed Martin, Ford's March 2019 plan and Foxconn's 2021 contract. Background "
    "outcomes the research file marks as unconfirmed (Sprint's 2020 merger into T-Mobile, "
    "Amazon's later headcount, the Toyota-Mazda plant's 2021 start) are not stated as fact.",
    "Not included: the 'Pledge to America's Workers' training pledges (not jobs pledges), "
    "Trump's claim about a Ford plant in Kentucky and the Saudi-trip 'millions of jobs' "
    "(claims with no company pledge behind them).",
    "ProPublica's 'What Happened to All the Jobs Trump Promised?' is dated January 2018; the "
    "exact day (29 January, used for Alibaba's 'stalled' status) comes from a republished "
    "copy (brewminate.com), so published_on is left empty.",
    "published_on is filled only where the stored page or its address showed the date.",
    "Deadlines computed by us from a stated period (e.g. 'over five years' from the "
    "announcement date) are approximations; the timeframe field keeps the original wording.",
]
