"""What the import and export tests share: files as a spreadsheet writes them, and the formula check."""

import io

import openpyxl
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from movement.exporting import FORMULA_STARTS


def csv_bytes(headers, rows, encoding="utf-8-sig"):
    dataset = tablib.Dataset(*rows, headers=headers)
    return dataset.export("csv").encode(encoding)


def xlsx_bytes(headers, rows):
    return tablib.Dataset(*rows, headers=headers).export("xlsx")


def dataset_bytes(dataset, fmt):
    data = dataset.export(fmt)
    return data.encode("utf-8-sig") if isinstance(data, str) else data


def upload(client, model, data, name):
    """POST a file to a model's admin import page; the format follows the extension."""
    app, model_name = model._meta.app_label, model._meta.model_name
    return client.post(
        reverse(f"admin:{app}_{model_name}_import"),
        {"import_file": SimpleUploadedFile(name, data), "resource": "0"},
    )


def confirm(client, model, response):
    """Confirm the preview the import page showed."""
    app, model_name = model._meta.app_label, model._meta.model_name
    form = response.context["confirm_form"]
    return client.post(reverse(f"admin:{app}_{model_name}_process_import"), form.initial)


def unsafe_cells(data, fmt):
    """Cells of an exported file that a spreadsheet would run: text starting like a formula, or a formula."""
    found = []
    if fmt == "csv":
        dataset = tablib.Dataset().load(
            data.decode("utf-8-sig") if isinstance(data, bytes) else data, format="csv"
        )
        for row in [dataset.headers, *dataset]:
            found += [cell for cell in row if isinstance(cell, str) and cell.startswith(FORMULA_STARTS)
                      and not _is_number(cell)]  # fmt: skip
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (
                    isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
                ):
                    found.append(cell.value)
    return found


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
