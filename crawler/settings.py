"""Scrapy settings: polite defaults. Per-source limits travel as spider arguments."""

BOT_NAME = "psynews"
SPIDER_MODULES = ["crawler.spiders"]

# Crawl responsibly by identifying yourself.
USER_AGENT = "psynews/0.1 (+https://github.com/psynews/psynews; psychedelic-research news monitor)"
ROBOTSTXT_OBEY = True

# Politeness: a couple of requests per host at a time, adapted to the server's latency.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Bounded work per request.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5

# Non-2xx responses reach the spider so they are recorded in the raw store.
HTTPERROR_ALLOW_ALL = True
COOKIES_ENABLED = False
# A crawl stops itself (and writes what it holds) before the flow's CRAWL_TIMEOUT (3600 s) would kill it.
CLOSESPIDER_TIMEOUT = 3000

# Safety (crawler.scope): http and https only, every other scheme has no handler at all...
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
# ...and nothing to control the crawl from outside: no telnet console, and no RemoteControl (Scrapy 2.19
# turns it on by default: an HTTP server on localhost that runs Python code sent to it, its token in a file).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Every name the downloader connects to is resolved here and refused if not public (crawler.middlewares).
TWISTED_DNS_RESOLVER = "crawler.middlewares.GuardedResolver"

ITEM_PIPELINES = {"crawler.pipelines.RawStorePipeline": 100}
DOWNLOADER_MIDDLEWARES = {
    # One gate for scheme, host, port and address, replacing Scrapy's host-only OffsiteMiddleware,
    # which lets dont_filter requests (and their redirects) through.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.ScopeMiddleware": 50,
    # robots.txt that cannot be fetched (timeout, 5xx) disallows the host for the run (RFC 9309).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtMiddleware": 100,
}
# 304 Not Modified may lower AutoThrottle's delay, as a 200 does (crawler.middlewares).
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.middlewares.AutoThrottle": 0,
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
}

LOG_LEVEL = "INFO"
