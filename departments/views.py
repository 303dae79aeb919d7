from django.shortcuts import render

from .models import Department


def department_list(request):
    departments = Department.objects.filter(is_active=True).prefetch_related("heads", "units")
    return render(request, "departments/department_list.html", {"departments": departments})
