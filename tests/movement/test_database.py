import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_database_has_a_utf8_ctype_so_hebrew_trigrams_work():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lc_ctype")
        ctype = cursor.fetchone()[0]
        assert ctype not in ("C", "POSIX")
        cursor.execute("SELECT similarity('והקיבוצים', 'קיבוצים')")
        assert cursor.fetchone()[0] > 0.3
