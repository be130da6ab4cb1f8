# Kyrgyz formats as official documents write them: «2025-жылдын 14-марты».
# `E` is the possessive month name ("марты"), supplied by our ky catalogue
# (see aimak/core/months.py). Decimal comma, non-breaking space between thousands.
DATE_FORMAT = r"Y-\ж\ы\л\д\ы\н j-E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y-\ж\ы\л\д\ы\н j-E, H:i"
# «2025-жылдын марты»: the possessive month again, as in running official text.
YEAR_MONTH_FORMAT = r"Y-\ж\ы\л\д\ы\н E"
MONTH_DAY_FORMAT = "j-E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
