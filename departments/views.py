from django.shortcuts import get_object_or_404, render

from .models import Department


def department_list(request):
    departments = Department.objects.filter(is_active=True).prefetch_related("heads", "units")
    return render(request, "departments/department_list.html", {"departments": departments})


def department_detail(request, slug):
    department = get_object_or_404(
        Department.objects.prefetch_related("heads", "staff", "units__heads"), slug=slug
    )
    return render(request, "departments/department_detail.html", {"department": department})
