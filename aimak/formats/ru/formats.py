# Russian: «14 марта 2025 г.», decimal comma, non-breaking space between thousands.
DATE_FORMAT = "j E Y г."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y г., H:i"
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
